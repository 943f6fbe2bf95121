package org.nnunet.training;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@code progress.png} as nnUNetTrainer.plot_progress draws it: training and validation loss on the left axis,
 * the evaluation metric (global Dice of the validation batches) on the right axis, per epoch.
 */
public final class ProgressPlot {
    private ProgressPlot() {}

    public static void write(TrainingProgress progress, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection losses = new XYSeriesCollection();
        losses.addSeries(series("loss_tr", progress.trainLosses()));
        losses.addSeries(series("loss_val", progress.valLosses()));
        XYSeriesCollection metric = new XYSeriesCollection(series("evaluation metric", progress.valEvalMetrics()));

        XYPlot plot = new XYPlot();
        plot.setDomainAxis(new NumberAxis("epoch"));
        plot.setRangeAxis(0, new NumberAxis("loss"));
        NumberAxis dice = new NumberAxis("evaluation metric");
        plot.setRangeAxis(1, dice);
        plot.setDataset(0, losses);
        plot.setDataset(1, metric);
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(0, renderer(Color.BLUE, Color.RED));
        plot.setRenderer(1, renderer(Color.GREEN.darker()));
        plot.setBackgroundPaint(Color.WHITE);

        JFreeChart chart = new JFreeChart("progress", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "progress", ".png.tmp");
        ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 1200, 720);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static XYSeries series(String name, List<Double> values) {
        XYSeries s = new XYSeries(name);
        for (int i = 0; i < values.size(); i++) {
            s.add(i, values.get(i));
        }
        return s;
    }

    private static XYLineAndShapeRenderer renderer(Color... colors) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < colors.length; i++) {
            r.setSeriesPaint(i, colors[i]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        return r;
    }
}
