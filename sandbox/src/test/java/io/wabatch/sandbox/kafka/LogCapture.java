package io.wabatch.sandbox.kafka;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Log lines (level, logger, message, and the causes' classes and messages) while attached to the root logger,
 * for tests about what Kafka's client and broker log. Shared with other modules through the test-jar.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> {

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    public static LogCapture attach() {
        LogCapture capture = new LogCapture();
        capture.start();
        root().addAppender(capture);
        return capture;
    }

    public void detach() {
        root().detachAppender(this);
        stop();
    }

    /** The lines naming any of {@code names} (e.g. a client id or a topic: classes running beside have their own). */
    public List<String> lines(String... names) {
        List<String> mine = new ArrayList<>();
        for (String line : lines) {
            for (String name : names) {
                if (line.contains(name)) {
                    mine.add(line);
                    break;
                }
            }
        }
        return mine;
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " "
                + event.getFormattedMessage());
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            line.append(" | ").append(cause.getClassName()).append(": ").append(cause.getMessage());
        }
        lines.add(line.toString());
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
