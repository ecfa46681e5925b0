package org.ipmasq.agent.runtime;

import java.util.logging.Handler;
import java.util.logging.Logger;
import org.ipmasq.agent.core.SyncEngine;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * Where a one-shot run's log goes: warnings and errors to standard error, one line each, with the
 * same "ip-masq-agent: " prefix as the run's own messages. Without this they went nowhere: until
 * Quarkus boots, the log manager only queues records for the handlers the boot installs, and a
 * one-shot run never boots, so a warning such as an unknown config key was lost. Two kinds stay
 * out, because the run says them itself: progress (info), since it prints what it changed on
 * standard output; and the sync engine's errors (config rejected, sync failed), which are the
 * pass's outcome, its last line on standard error.
 */
final class OneShotLog {

    static final String FORMAT = "ip-masq-agent: %p: %s%e%n";

    private OneShotLog() {
    }

    /** Replaces the root logger's handlers (the boot's queue) with one writing to standard error. */
    static void toStandardError() {
        Handler handler = new ConsoleHandler(ConsoleHandler.Target.SYSTEM_ERR, new PatternFormatter(FORMAT));
        handler.setLevel(Level.WARN);
        handler.setFilter(record -> !(record.getLevel().intValue() >= Level.ERROR.intValue()
                && SyncEngine.class.getName().equals(record.getLoggerName())));
        Logger root = Logger.getLogger("");
        for (Handler queued : root.getHandlers()) {
            root.removeHandler(queued);
        }
        root.addHandler(handler);
    }
}
