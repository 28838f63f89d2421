package nmt.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process and keeps what it printed, or prepares it in a JVM of its own. */
public final class CliRunner {
    public record Result(int exitCode, String out, String err) {
    }

    private CliRunner() {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * The CLI in a new JVM on the test class path: its own heap limit, its own engine (the
     * environment decides which libtorch it loads), its own exit.
     */
    public static ProcessBuilder inNewJvm(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "nmt.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
