package nmt.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The build's version, filtered into a resource by Maven. */
public final class Version implements CommandLine.IVersionProvider {
    public static final String VERSION = read();

    /** What goes into metric signatures in place of sacreBLEU's version. */
    public static String signatureTag() {
        return "nmt-" + VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"nmt " + VERSION};
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/nmt/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
