package io.osteo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The console bar against a PrintStream, with a hand-driven clock. */
class ConsoleProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong(0);

    private ConsoleProgressBar bar(boolean interactive) {
        return new ConsoleProgressBar(new java.io.PrintWriter(stream, true), interactive, clock::get);
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void advanceSeconds(double s) {
        clock.addAndGet((long) (s * 1e9));
    }

    @Test
    void plainLinesShowPercentDoneTotalRateEtaAndMessage() {
        ConsoleProgressBar bar = bar(false);
        bar.started("pretrain", 200);
        advanceSeconds(10);
        bar.progressed("pretrain", 50, 200, "epoch 1/4 loss 3.21");
        List<String> lines = text().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("pretrain: started (200 steps)");
        // 50 in 10 s = 5/s; 150 left = 30 s
        assertThat(lines.get(1)).isEqualTo("pretrain [#####...............]  25%  50/200  5.0/s  ETA 0:30  epoch 1/4 loss 3.21");
        assertThat(text()).doesNotContain("\r");
    }

    @Test
    void plainModeIsThrottledToPercentStepsOrTime() {
        ConsoleProgressBar bar = bar(false);
        bar.started("cohort", 1000);
        for (int i = 1; i <= 1000; i++) {
            clock.addAndGet(1_000_000); // 1 ms per unit: 1 s in all, below the time interval
            bar.progressed("cohort", i, 1000, "");
        }
        bar.finished("cohort", "1000 written");
        List<String> lines = text().lines().toList();
        // start, 0%..100% in steps of 10 (i=1 is step 0), done
        assertThat(lines).hasSize(1 + 11 + 1);
        assertThat(lines.get(lines.size() - 2)).contains("100%").contains("1000/1000").doesNotContain("ETA");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("cohort: done in 0:01 - 1000 written");

        bytes.reset();
        bar.started("slow", 1000);
        bar.progressed("slow", 1, 1000, "");
        advanceSeconds(ConsoleProgressBar.PLAIN_INTERVAL_S / 2.0);
        bar.progressed("slow", 2, 1000, ""); // same step, interval not reached: silent
        advanceSeconds(ConsoleProgressBar.PLAIN_INTERVAL_S);
        bar.progressed("slow", 3, 1000, ""); // same step, interval reached: a line
        assertThat(text().lines().filter(l -> l.startsWith("slow [")).count()).isEqualTo(2);
    }

    @Test
    void unknownTotalShowsCountAndRateWithoutEta() {
        ConsoleProgressBar bar = bar(false);
        advanceSeconds(2);
        bar.progressed("scan", 40, -1, "");
        assertThat(text().strip()).isEqualTo("scan 40 done  20/s");
    }

    @Test
    void interactiveRedrawsOneLinePerTaskInPlaceAndThrottles() {
        ConsoleProgressBar bar = bar(true);
        bar.started("finetune", 4);
        assertThat(text()).isEmpty();
        advanceSeconds(1);
        bar.progressed("finetune", 1, 4, "epoch 1");
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
        bar.progressed("finetune", 2, 4, "epoch 2"); // within 100 ms: not drawn
        assertThat(text()).doesNotContain("epoch 2");
        advanceSeconds(1);
        bar.progressed("finetune", 3, 4, "x");
        String s = text();
        assertThat(s).doesNotContain("\n");
        // the shorter line erases the longer previous one with blanks
        String[] draws = s.split("\r", -1);
        assertThat(draws).hasSize(3);
        assertThat(draws[1]).startsWith("finetune [#####...............]  25%  1/4").endsWith("epoch 1");
        assertThat(draws[2].stripTrailing()).endsWith("  x");
        assertThat(draws[2].length()).isGreaterThanOrEqualTo(draws[1].length());

        // another task opens its own line; the first keeps its last state
        bar.progressed("eval", 1, 10, "");
        assertThat(text()).contains("x" + " ".repeat(draws[2].length() - draws[2].stripTrailing().length()) + "\n\reval [");
        bar.finished("eval", "ok");
        assertThat(text()).endsWith("eval: done in 0:00 - ok" + System.lineSeparator());
        bar.progressed("finetune", 4, 4, "last"); // completion always drawn
        assertThat(text()).contains("\rfinetune [####################] 100%  4/4");
    }

    @Test
    void concurrentReportsAreSerialised() throws Exception {
        ConsoleProgressBar bar = new ConsoleProgressBar(stream, false);
        bar.started("work", 8000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicLong done = new AtomicLong();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 2000; i++) {
                    bar.progressed("work", done.incrementAndGet(), 8000, "");
                }
            }));
        }
        for (var f : futures) {
            f.get();
        }
        pool.shutdown();
        bar.finished("work", "");
        List<String> lines = text().lines().toList();
        // every line is whole (no interleaving) and the percentages never go back
        int last = -1;
        for (String l : lines.subList(1, lines.size() - 1)) {
            assertThat(l).matches("work \\[[#.]{20}\\] +\\d+%  \\d+/8000  .*");
            int pct = Integer.parseInt(l.replaceAll("^.*\\] +(\\d+)%.*$", "$1"));
            assertThat(pct).isGreaterThanOrEqualTo(last);
            last = pct;
        }
        assertThat(lines.get(lines.size() - 1)).startsWith("work: done");
        assertThat(Arrays.asList(ConsoleProgressBar.duration(3725), ConsoleProgressBar.duration(59.6)))
                .containsExactly("1:02:05", "1:00");
    }
}
