package io.osteo.cli;

import io.osteo.api.InvalidInputException;
import io.osteo.model.device.TorchThreads;
import java.io.PrintWriter;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code osteo} command line: one entry point for every SDK capability (see
 * {@code shared/specs/cli.md}). Each subcommand is its own class implementing
 * {@link java.util.concurrent.Callable}{@code <Integer>}, registered in {@code subcommands} below;
 * to add one (synth, pretrain, finetune, evaluate, screen, reproduce), write the class and list it
 * there. Machine-readable results go to stdout as JSON, progress to stderr, errors to stderr as one
 * line with a non-zero exit code (1 = bad input or failure, 2 = usage error).
 *
 * <p>The global option {@code --threads N} (before the subcommand; default {@code $OSTEO_THREADS},
 * else all processors) sets libtorch's intra-op threads through {@link TorchThreads} before any
 * subcommand starts the engine.
 */
@Command(name = "osteo", mixinStandardHelpOptions = true, version = "osteo 0.1.0",
        description = "Opportunistic osteoporosis screening on CT: radiomics, texture pools, models.",
        subcommands = {FeaturesCommand.class, TexturePoolCommand.class, SynthCommand.class, PretrainCommand.class,
            FinetuneCommand.class, EvaluateCommand.class, ScreenCommand.class, ReproduceCommand.class,
            QuickstartCommand.class, ConvertCommand.class, PrepareCommand.class, BatchScreenCommand.class})
public final class OsteoCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private Integer threads;

    @Option(names = "--threads", paramLabel = "N", description = "libtorch intra-op threads for network work, given "
            + "before the subcommand (default: $OSTEO_THREADS, else all processors)")
    void setThreads(int value) {
        if (value < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 1, got " + value);
        }
        threads = value;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams (for tests and embedding); returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(out, err);
        return cl.execute(args);
    }

    /** The configured picocli command line with all subcommands. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        OsteoCli cli = new OsteoCli();
        CommandLine cl = new CommandLine(cli);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage() + " (see "
                    + c.getCommandSpec().qualifiedName() + " --help)");
            c.getErr().flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + msg.replace('\n', ' '));
            c.getErr().flush();
            return 1;
        });
        // the thread policy goes into DJL's properties after parsing, before any subcommand runs
        cl.setExecutionStrategy(parseResult -> {
            try {
                TorchThreads.configure(TorchThreads.resolve(
                        cli.threads == null ? OptionalInt.empty() : OptionalInt.of(cli.threads), System.getenv()));
            } catch (InvalidInputException e) {
                cl.getErr().println("osteo: " + e.getMessage());
                cl.getErr().flush();
                return 1;
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cl;
    }
}
