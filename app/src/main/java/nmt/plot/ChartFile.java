package nmt.plot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/** Writes a chart as a PNG: next to the target first, then renamed, so a reader never sees half a file. */
public final class ChartFile {
    private ChartFile() {
    }

    /**
     * @throws IOException also when Java cannot draw at all (AWT fails without fonts), with the
     *                     remedy in the message; nothing is left behind
     */
    public static void save(JFreeChart chart, Path png, int width, int height) throws IOException {
        Path partial = png.resolveSibling(png.getFileName() + ".partial");
        try {
            ChartUtils.saveChartAsPNG(partial.toFile(), chart, width, height);
            Files.move(partial, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        } catch (RuntimeException | LinkageError | InternalError e) {
            // Headless AWT throws these when the system has no fonts (fontconfig) to draw text with.
            Files.deleteIfExists(partial);
            throw new IOException("cannot draw " + png + " (" + e + "); install fontconfig and a font such as "
                    + "Debian's fonts-dejavu-core", e);
        }
    }
}
