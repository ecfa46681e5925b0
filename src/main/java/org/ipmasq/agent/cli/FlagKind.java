package org.ipmasq.agent.cli;

/** Whether a flag takes a value or is a switch. */
public enum FlagKind {
    BOOLEAN, VALUE
}
