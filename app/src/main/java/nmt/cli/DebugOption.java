package nmt.cli;

import picocli.CommandLine.Option;

/** Mixed into every command: shows stack traces of unexpected errors. */
public final class DebugOption {
    @Option(names = "--debug", description = "Print the stack trace of unexpected errors.")
    boolean debug;
}
