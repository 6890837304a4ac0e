/**
 * The per-event half of the native shim: reading enable words and writing events. Nothing here uses
 * JNA, so the agent can load these classes in the bootstrap class loader, where woven application code of
 * any class loader can reach them; the JNA half (registration) stays in the agent's isolated loader.
 *
 * <p>Memory-ordering names follow JCTools: {@code lv} volatile load, {@code lo} opaque load,
 * {@code so} ordered store.
 */
package dev.userevents.shim.hotpath;
