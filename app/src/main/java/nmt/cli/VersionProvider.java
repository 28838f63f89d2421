package nmt.cli;

import nmt.Version;
import picocli.CommandLine;

/** What {@code nmt --version} prints. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {Version.writer()};
    }
}
