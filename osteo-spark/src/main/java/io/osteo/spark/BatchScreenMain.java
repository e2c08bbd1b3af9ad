package io.osteo.spark;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.dxa.DxaDevice;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The main class of the application jar for {@code spark-submit} ({@code osteo-spark-*-app.jar}):
 * the options of {@code osteo batch-screen} ({@code --studies --out (--model | --hu-threshold)
 * [--master] [--workers-per-executor] [--device] [--report-device] [--threshold] [--commit-every]
 * [--ship-model | --no-ship-model]}); without {@code --master} the master is spark-submit's. JSON
 * summary on stdout; exit 0 (all screened), 3 (some failed, see errors.csv), 1 (the job could not
 * run), 2 (bad usage).
 */
public final class BatchScreenMain {
    private BatchScreenMain() {}

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs with the given streams; returns the exit status. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        BatchScreening.Builder b = BatchScreening.builder();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--ship-model" -> b.shipModel(true);
                    case "--no-ship-model" -> b.shipModel(false);
                    case "--help", "-h" -> {
                        out.println("usage: BatchScreenMain --studies FILE --out DIR (--model DIR | --hu-threshold HU)"
                                + " [--master URL] [--workers-per-executor N] [--device D] [--report-device D]"
                                + " [--threshold P] [--commit-every N] [--ship-model|--no-ship-model]");
                        return 0;
                    }
                    default -> {
                        if (i + 1 >= args.length || !a.startsWith("--")) {
                            throw new UsageException("unknown option or missing value: " + a);
                        }
                        String v = args[++i];
                        switch (a) {
                            case "--studies" -> b.studies(Path.of(v));
                            case "--out" -> b.out(Path.of(v));
                            case "--model" -> b.model(Path.of(v));
                            case "--hu-threshold" -> b.huThreshold(number(a, v));
                            case "--master" -> b.master(v);
                            case "--workers-per-executor" -> b.workersPerExecutor((int) number(a, v));
                            case "--device" -> b.device(v);
                            case "--report-device" -> b.reportDevice(DxaDevice.parse(v));
                            case "--threshold" -> b.operatingThreshold(number(a, v));
                            case "--commit-every" -> b.commitEvery((int) number(a, v));
                            default -> throw new UsageException("unknown option: " + a);
                        }
                    }
                }
            }
            BatchScreenSummary s = b.build().run();
            out.println(s.toJson());
            return s.exitCode();
        } catch (UsageException e) {
            err.println("batch-screen: " + e.getMessage());
            return 2;
        } catch (OsteoException e) {
            err.println("batch-screen: " + e.getMessage().replace('\n', ' '));
            return 1;
        }
    }

    private static double number(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(option + " '" + value + "' is not a number");
        }
    }

    private static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
