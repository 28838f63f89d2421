package nmt.decode;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import nmt.plot.ChartFile;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A PNG heatmap of one translation's attention: source tokens along the top axis, output tokens
 * down the side, each cell coloured by the weight the output token gave the source token.
 */
public final class AttentionHeatmap {
    private static final int CELL = 30;
    private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private AttentionHeatmap() {
    }

    /**
     * @param weights one row per output token, at least as many columns as source tokens
     *                (further columns, padding of a batch, are left out)
     */
    public static void write(Path png, List<String> source, List<String> output, float[][] weights, String title)
            throws IOException {
        double[][] series = new double[3][source.size() * output.size()];
        int k = 0;
        for (int y = 0; y < output.size(); y++) {
            for (int x = 0; x < source.size(); x++) {
                series[0][k] = x;
                series[1][k] = y;
                series[2][k] = weights[y][x];
                k++;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("attention", series);

        SymbolAxis sourceAxis = new SymbolAxis("source", source.toArray(new String[0]));
        sourceAxis.setVerticalTickLabels(true);
        SymbolAxis outputAxis = new SymbolAxis("output", output.toArray(new String[0]));
        outputAxis.setInverted(true);
        for (SymbolAxis axis : List.of(sourceAxis, outputAxis)) {
            axis.setTickLabelFont(LABELS);
            axis.setGridBandsVisible(false);
            axis.setLowerMargin(0);
            axis.setUpperMargin(0);
        }
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(new WhiteToBlue());
        XYPlot plot = new XYPlot(data, sourceAxis, outputAxis, renderer);
        plot.setDomainAxisLocation(AxisLocation.TOP_OR_LEFT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.PLAIN, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        NumberAxis scale = new NumberAxis("weight");
        scale.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(new WhiteToBlue(), scale);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 8, 4, 8);
        chart.addSubtitle(legend);

        int labelRoom = 12 + 8 * longest(source);
        int width = Math.max(360, 150 + 8 * longest(output) + CELL * source.size());
        int height = Math.max(300, 90 + labelRoom + CELL * output.size());
        ChartFile.save(chart, png, width, height);
    }

    private static int longest(List<String> labels) {
        return labels.stream().mapToInt(String::length).max().orElse(1);
    }

    /** 0 is white, 1 is dark blue; JFreeChart's own scales are grey or stepped. */
    private static final class WhiteToBlue implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double v = Math.max(0, Math.min(1, value));
            return new Color((int) Math.round(255 - 247 * v), (int) Math.round(255 - 207 * v),
                    (int) Math.round(255 - 148 * v));
        }
    }
}
