/**
 * What runs on every call of a woven method: the probe table, the event encoder and its buffers.
 *
 * <p>The agent loads this package (and {@code dev.userevents.shim.hotpath}) in the bootstrap class loader,
 * so woven code in any class loader can call it; everything else of the agent lives in an isolated loader.
 * Code here therefore depends on nothing but the JDK and the hot path of the native shim (JSpecify's
 * {@code @Nullable} is for the compiler only: it is not shipped, and a missing annotation class is ignored at
 * run time), allocates nothing per event, never blocks and never throws into the application.
 *
 * <p>Bytecode: woven probes call this package on every event and the JIT inlines by bytecode size, so its
 * method bytecode changes only on purpose, measured with the benchmarks. Where a static check asks for a
 * rewrite that would change it, the check is suppressed on that element instead, with the reason.
 */
package dev.userevents.agent.runtime;
