package nmt.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import nmt.plot.ChartFile;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@code curves.png} in the model directory: training and dev loss (left axis) and dev BLEU (right
 * axis) over updates, drawn from {@code metrics.jsonl} at each validation, so a glance tells
 * whether training has flattened out.
 */
final class TrainingCurves {
    static final String FILE = "curves.png";

    private TrainingCurves() {
    }

    static void write(Path metricsFile, Path png) throws IOException {
        XYSeries trainLoss = new XYSeries("train loss");
        XYSeries devLoss = new XYSeries("dev loss");
        XYSeries devBleu = new XYSeries("dev BLEU");
        for (MetricsLog.Validation v : MetricsLog.read(metricsFile)) {
            if (v.trainLoss() != null) {
                trainLoss.add(v.update(), v.trainLoss());
            }
            devLoss.add(v.update(), v.devLoss());
            devBleu.add(v.update(), v.devBleu());
        }
        XYSeriesCollection losses = new XYSeriesCollection();
        losses.addSeries(trainLoss);
        losses.addSeries(devLoss);
        NumberAxis updates = new NumberAxis("update");
        NumberAxis loss = new NumberAxis("loss (nats per token)");
        loss.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(losses, updates, loss, renderer(Color.GRAY, new Color(200, 60, 40)));
        NumberAxis bleu = new NumberAxis("dev BLEU");
        plot.setRangeAxis(1, bleu);
        plot.setDataset(1, new XYSeriesCollection(devBleu));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, renderer(new Color(30, 80, 200)));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("training", new Font(Font.SANS_SERIF, Font.PLAIN, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartFile.save(chart, png, 900, 500);
    }

    private static XYLineAndShapeRenderer renderer(Color... colors) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < colors.length; i++) {
            r.setSeriesPaint(i, colors[i]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        return r;
    }
}
