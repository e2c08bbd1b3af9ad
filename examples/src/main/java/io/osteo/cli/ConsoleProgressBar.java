package io.osteo.cli;

import io.osteo.api.progress.ProgressListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A {@link ProgressListener} that draws progress on a console stream (stderr in the CLI and the
 * examples): per task the percentage, done/total, rate (units per second), ETA and the task's
 * message, for example
 * <pre>
 * pretrain [##########..........]  50%  120/240  3.1/s  ETA 0:39  epoch 3/6 loss 3.2154 (ln K 3.4657)
 * </pre>
 *
 * <p>On a terminal ({@link #interactive}) the line of the task being reported is redrawn in place
 * with a carriage return, at most every {@value #INTERACTIVE_INTERVAL_MS} ms; when another task
 * reports, the current line is ended so that every task keeps its own last line. Otherwise (a
 * pipe, a log file, a test) it writes plain lines, one when the percentage crosses a multiple of
 * {@value #PLAIN_STEP_PERCENT} or at most every {@value #PLAIN_INTERVAL_S} s, plus one line when a
 * task starts and one when it finishes. Thread-safe: work running on several threads may report
 * concurrently; each call is serialised.
 */
public final class ConsoleProgressBar implements ProgressListener {

    static final long INTERACTIVE_INTERVAL_MS = 100;
    static final long PLAIN_INTERVAL_S = 10;
    static final int PLAIN_STEP_PERCENT = 10;
    private static final int BAR_WIDTH = 20;

    private final PrintWriter out;
    private final boolean interactive;
    private final LongSupplier nanoClock;
    private final Map<String, TaskState> tasks = new LinkedHashMap<>();
    /** Task whose line is open (drawn without a newline) in interactive mode, or null. */
    private String openLine;
    private int openLineLength;

    /**
     * A bar on stderr, interactive when the JVM has a console ({@code System.console() != null}),
     * plain lines otherwise.
     */
    public static ConsoleProgressBar stderr() {
        return new ConsoleProgressBar(System.err, System.console() != null);
    }

    /**
     * A bar on the given console writer (the CLI's stderr), interactive when the JVM has a console
     * ({@code System.console() != null}), plain lines otherwise (pipes, logs, tests).
     */
    public static ConsoleProgressBar on(PrintWriter err) {
        return new ConsoleProgressBar(err, System.console() != null);
    }

    /**
     * @param stream where to draw (not closed by the bar)
     * @param interactive true to redraw one line per task in place (terminals), false for plain lines
     */
    public ConsoleProgressBar(PrintStream stream, boolean interactive) {
        this(new PrintWriter(stream, true), interactive);
    }

    /**
     * @param writer where to draw (not closed by the bar)
     * @param interactive true to redraw one line per task in place (terminals), false for plain lines
     */
    public ConsoleProgressBar(PrintWriter writer, boolean interactive) {
        this(writer, interactive, System::nanoTime);
    }

    ConsoleProgressBar(PrintWriter writer, boolean interactive, LongSupplier nanoClock) {
        this.out = writer;
        this.interactive = interactive;
        this.nanoClock = nanoClock;
    }

    /** Whether lines are redrawn in place. */
    public boolean interactive() {
        return interactive;
    }

    @Override
    public synchronized void started(String task, long total) {
        TaskState s = new TaskState(nanoClock.getAsLong(), total);
        tasks.put(task, s);
        if (!interactive) {
            println(task + ": started" + (total > 0 ? " (" + total + " steps)" : ""));
        }
    }

    @Override
    public synchronized void progressed(String task, long done, long total, String message) {
        long now = nanoClock.getAsLong();
        TaskState s = tasks.computeIfAbsent(task, t -> new TaskState(now, total));
        s.done = done;
        s.total = total;
        s.message = message == null ? "" : message;
        boolean complete = total > 0 && done >= total;
        if (interactive) {
            boolean due = s.lastDraw < 0 || now - s.lastDraw >= TimeUnit.MILLISECONDS.toNanos(INTERACTIVE_INTERVAL_MS);
            if (due || complete || !task.equals(openLine)) {
                s.lastDraw = now;
                draw(task, line(task, s, now));
            }
        } else {
            int step = total > 0 ? (int) Math.min(100, done * 100 / total) / PLAIN_STEP_PERCENT : -1;
            boolean stepCrossed = step > s.lastStep;
            boolean due = s.lastDraw < 0 || now - s.lastDraw >= TimeUnit.SECONDS.toNanos(PLAIN_INTERVAL_S);
            if (stepCrossed || due) {
                s.lastStep = Math.max(s.lastStep, step);
                s.lastDraw = now;
                println(line(task, s, now));
            }
        }
    }

    @Override
    public synchronized void finished(String task, String message) {
        long now = nanoClock.getAsLong();
        TaskState s = tasks.remove(task);
        String elapsed = s == null ? "" : " in " + duration((now - s.start) / 1e9);
        String text = task + ": done" + elapsed + (message == null || message.isEmpty() ? "" : " - " + message);
        if (interactive && task.equals(openLine) && s != null) {
            // keep the final state of the bar on its line, then the summary below it
            draw(task, line(task, s, now));
        }
        println(text);
    }

    /** Redraws the open line (interactive), or opens a new one for another task. */
    private void draw(String task, String text) {
        if (openLine != null && !openLine.equals(task)) {
            out.print('\n');
            openLineLength = 0;
        }
        StringBuilder sb = new StringBuilder().append('\r').append(text);
        for (int i = text.length(); i < openLineLength; i++) {
            sb.append(' '); // erase the rest of a longer previous line
        }
        out.print(sb);
        out.flush();
        openLine = task;
        openLineLength = text.length();
    }

    private void println(String text) {
        if (openLine != null) {
            out.print('\n');
            openLine = null;
            openLineLength = 0;
        }
        out.println(text);
        out.flush();
    }

    static String line(String task, TaskState s, long now) {
        double seconds = (now - s.start) / 1e9;
        double rate = seconds > 0 ? s.done / seconds : 0;
        StringBuilder sb = new StringBuilder(task).append(' ');
        if (s.total > 0) {
            double fraction = Math.min(1.0, Math.max(0.0, (double) s.done / s.total));
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append(']');
            sb.append(String.format(Locale.ROOT, " %3d%%  %d/%d", (int) Math.floor(fraction * 100), s.done, s.total));
        } else {
            sb.append(s.done).append(" done");
        }
        sb.append("  ").append(rate(rate));
        if (s.total > 0 && s.done < s.total) {
            sb.append("  ETA ").append(rate > 0 ? duration((s.total - s.done) / rate) : "?");
        }
        if (!s.message.isEmpty()) {
            sb.append("  ").append(s.message);
        }
        return sb.toString();
    }

    static String rate(double perSecond) {
        if (perSecond >= 10) {
            return String.format(Locale.ROOT, "%.0f/s", perSecond);
        }
        if (perSecond >= 0.1 || perSecond == 0) {
            return String.format(Locale.ROOT, "%.1f/s", perSecond);
        }
        return String.format(Locale.ROOT, "%.1f s each", 1 / perSecond);
    }

    /** h:mm:ss or m:ss. */
    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** Mutable per-task state; guarded by the bar's lock. */
    static final class TaskState {
        final long start;
        long total;
        long done;
        String message = "";
        long lastDraw = -1;
        int lastStep = -1;

        TaskState(long start, long total) {
            this.start = start;
            this.total = total;
        }
    }
}
