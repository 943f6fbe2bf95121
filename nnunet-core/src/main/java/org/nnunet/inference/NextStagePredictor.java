package org.nnunet.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.nnunet.dataloading.PreviousStageSegmentations;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.preprocessing.Resampler;
import org.nnunet.preprocessing.SeparateZ;
import org.nnunet.util.LabelNpz;
import org.nnunet.util.NpyArray;
import org.nnunet.util.NpyReader;

/**
 * v1.7.1 {@code cascade_stuff/predict_next_stage}: after a 3d_lowres fold is trained, its held-out cases (stage 0)
 * are predicted with the sliding window and mirroring, each class map is resized to the case's shape in the
 * full-resolution stage (stage 1; {@code resample_data_or_seg(order=1)} without separate z, since the plans carry no
 * {@code segmentation_export_params}), and the argmax is written as {@code <case>_segFromPrevStage.npz} (uint8)
 * into {@code pred_next_stage}. Both stages are in the transposed (preprocessed) axis order.
 */
public final class NextStagePredictor {
    private final SlidingWindowPredictor predictor;

    public NextStagePredictor(SlidingWindowPredictor predictor) {
        this.predictor = predictor;
    }

    public void predict(PreprocessedDataFolder lowres, PreprocessedDataFolder nextStage, List<String> caseIds,
                        Path outputFolder, Consumer<String> log) throws IOException {
        for (String id : caseIds) {
            NpyArray stored = lowres.readData(id);
            int[] s = stored.shape();
            float[][] channels = new float[s[0] - 1][];
            for (int c = 0; c < channels.length; c++) {
                channels[c] = stored.slice(c);
            }
            SoftmaxVolume softmax = predictor.predict(channels, new int[] {s[1], s[2], s[3]});
            int[] nextShape = spatialShape(nextStage, id);
            int[] labels = resize(softmax, nextShape).argmax();
            LabelNpz.write(PreviousStageSegmentations.file(outputFolder, id), nextShape, labels);
            log.accept("predicted " + id + " for the next stage: " + java.util.Arrays.toString(softmax.shape())
                    + " -> " + java.util.Arrays.toString(nextShape));
        }
    }

    /** Each class map resized with order 1 (skimage resize, edge mode, clipped), all axes together. */
    static SoftmaxVolume resize(SoftmaxVolume softmax, int[] newShape) {
        int n = softmax.voxelCount();
        int m = newShape[0] * newShape[1] * newShape[2];
        float[] out = new float[softmax.numClasses() * m];
        float[] channel = new float[n];
        for (int c = 0; c < softmax.numClasses(); c++) {
            System.arraycopy(softmax.data(), c * n, channel, 0, n);
            float[] r = Resampler.resampleDataOrSeg(channel, softmax.shape(), newShape, false, 1, SeparateZ.NONE, 0);
            System.arraycopy(r, 0, out, c * m, m);
        }
        return new SoftmaxVolume(softmax.numClasses(), newShape, out);
    }

    private static int[] spatialShape(PreprocessedDataFolder folder, String id) throws IOException {
        int[] s = NpyReader.map(folder.dataFile(id)).shape();
        return new int[] {s[1], s[2], s[3]};
    }
}
