/**
 * What runs on every call of a woven method: the probe table, the event encoder and its buffers.
 *
 * <p>The agent loads this package (and {@code dev.userevents.shim.hotpath}) in the bootstrap class loader,
 * so woven code in any class loader can call it; everything else of the agent lives in an isolated loader.
 * Code here therefore depends on nothing but the JDK and the hot path of the native shim, allocates nothing
 * per event, never blocks and never throws into the application.
 */
package dev.userevents.agent.runtime;
