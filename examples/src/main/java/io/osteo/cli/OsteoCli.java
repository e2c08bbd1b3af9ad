package io.osteo.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code osteo} command line: one entry point for every SDK capability (see
 * {@code shared/specs/cli.md}). Each subcommand is its own class implementing
 * {@link java.util.concurrent.Callable}{@code <Integer>}, registered in {@code subcommands} below;
 * to add one (synth, pretrain, finetune, evaluate, screen, reproduce), write the class and list it
 * there. Machine-readable results go to stdout as JSON, progress to stderr, errors to stderr as one
 * line with a non-zero exit code (1 = bad input or failure, 2 = usage error).
 */
@Command(name = "osteo", mixinStandardHelpOptions = true, version = "osteo 0.1.0",
        description = "Opportunistic osteoporosis screening on CT: radiomics, texture pools, models.",
        subcommands = {FeaturesCommand.class, TexturePoolCommand.class, SynthCommand.class, PretrainCommand.class,
            FinetuneCommand.class, EvaluateCommand.class, ScreenCommand.class, ReproduceCommand.class,
            QuickstartCommand.class, ConvertCommand.class, PrepareCommand.class, BatchScreenCommand.class})
public final class OsteoCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

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
        CommandLine cl = new CommandLine(new OsteoCli());
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
        return cl;
    }
}
