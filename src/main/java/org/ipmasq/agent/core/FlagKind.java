package org.ipmasq.agent.core;

/** Whether a flag takes a value or is a switch. */
public enum FlagKind {
    BOOLEAN, VALUE
}
