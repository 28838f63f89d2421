package nmt;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, filtered into a resource by Maven. */
public final class Version {
    public static final String VERSION = read();

    /** What goes into metric signatures in place of sacreBLEU's version. */
    public static String signatureTag() {
        return "nmt-" + VERSION;
    }

    private Version() {
    }

    /** This tool and its version, as model directories record their writer. */
    public static String writer() {
        return "nmt " + VERSION;
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
