package dev.userevents.agent.weave.ondemand.deeper;

import dev.userevents.agent.weave.ondemand.Audited;

/** A class in a sub-package, carrying the annotation itself: every method of it is selected by it. */
@Audited
public abstract class Ledger {
    public int post(int amount) {
        return amount;
    }

    public abstract void close();
}
