/**
 * The per-event half of the native shim: reading enable words and writing events. Nothing here uses
 * JNA, so the agent can load these classes in the bootstrap class loader, where woven application code of
 * any class loader can reach them; the JNA half (registration) stays in the agent's isolated loader.
 *
 * <p>Memory-ordering names follow JCTools: {@code lv} volatile load, {@code lo} opaque load,
 * {@code so} ordered store.
 *
 * <p>Bytecode: woven probes call this package on every event and the JIT inlines by bytecode size, so its
 * method bytecode changes only on purpose, measured with the benchmarks. Where a static check asks for a
 * rewrite that would change it, the check is suppressed on that element instead, with the reason.
 */
package dev.userevents.shim.hotpath;
