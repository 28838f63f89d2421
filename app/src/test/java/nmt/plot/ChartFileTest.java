package nmt.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.PlotState;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartFileTest {
    @TempDir
    Path dir;

    @Test
    void aChartIsWrittenWhole() throws IOException {
        Path png = dir.resolve("ok.png");
        ChartFile.save(new JFreeChart(new XYPlot()), png, 120, 80);
        assertEquals(120, ImageIO.read(png.toFile()).getWidth());
        assertFalse(Files.exists(dir.resolve("ok.png.partial")));
    }

    /** What headless AWT does on a machine without fonts: an Error while drawing text. */
    @Test
    void aDrawingFailureIsAnIoErrorWithTheRemedyAndLeavesNothing() {
        XYPlot broken = new XYPlot() {
            @Override
            public void draw(Graphics2D g2, Rectangle2D area, Point2D anchor, PlotState parentState,
                             PlotRenderingInfo info) {
                throw new InternalError("Fontconfig head is null, check your fonts or fonts configuration");
            }
        };
        Path png = dir.resolve("broken.png");
        IOException e = assertThrows(IOException.class, () -> ChartFile.save(new JFreeChart(broken), png, 120, 80));
        assertTrue(e.getMessage().startsWith("cannot draw " + png + " (java.lang.InternalError: Fontconfig head is null"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("install fontconfig and a font such as Debian's fonts-dejavu-core"));
        assertFalse(Files.exists(png));
        assertFalse(Files.exists(dir.resolve("broken.png.partial")));
    }
}
