package nmt.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import nmt.InputError;
import nmt.engine.Engines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nmt} command: parses arguments, runs one subcommand, turns errors into one line. */
@Command(name = "nmt", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Neural machine translation: train, translate, score and serve models.",
        subcommands = {PrepareCommand.class, TrainCommand.class, TranslateCommand.class, EvaluateBleuCommand.class,
                BenchmarkCommand.class, ServeCommand.class, AverageCommand.class, ExportCommand.class, DoctorCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Heap freed when a command runs out of it, so that the one-line report can be written. */
    private static final int RESERVE_BYTES = 2 << 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(out, err, args));
    }

    /** Runs the command line and returns the exit code (1 for bad input, 2 for bad usage). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        Engines.configureOffline();
        // Plots are drawn off-screen; no display is needed or wanted.
        System.setProperty("java.awt.headless", "true");
        CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, failed.getErr());
            failed.usage(failed.getErr());
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--debug");
            if (debug) {
                e.printStackTrace();
            }
            String message = e instanceof InputError ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage() + (debug ? "" : " (run with --debug for details)");
            commandLine.getErr().println("error: " + message);
            return 1;
        });
        // Composed and set aside before the work: with the heap exhausted, reporting must not need it.
        String outOfMemory = "error: " + outOfMemory();
        byte[] reserve = new byte[RESERVE_BYTES];
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            reserve = null;
            err.println(outOfMemory);
            return 1;
        } finally {
            Reference.reachabilityFence(reserve);
        }
    }

    /** One line for an exhausted heap: how large it was and what to do. */
    static String outOfMemory() {
        return String.format(Locale.ROOT, "out of memory: the Java heap is limited to %,d MB. Give Java more heap: "
                + "java -Xmx16g -jar nmt.jar ... (or JAVA_TOOL_OPTIONS=-Xmx16g); preparing a large corpus needs "
                + "less with a smaller data.sample_size. Whatever was saved before (checkpoints, the best model) is "
                + "kept.",
                Runtime.getRuntime().maxMemory() >> 20);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is needed: prepare, train, translate, evaluate-bleu, benchmark, serve or average");
    }
}
