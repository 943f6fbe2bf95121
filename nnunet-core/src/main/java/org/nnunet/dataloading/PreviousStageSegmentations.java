package org.nnunet.dataloading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnunet.util.LabelNpz;
import org.nnunet.util.MappedNpy;
import org.nnunet.util.NpyArray;
import org.nnunet.util.NpyReader;
import org.nnunet.util.NpyWriter;

/**
 * The 3d_lowres segmentations the cascade's full-resolution stage trains on (v1.7.1
 * nnUNetTrainerV2CascadeFullRes): {@code RESULTS_FOLDER/nnUNet/3d_lowres/TASK/nnUNetTrainerV2__PLANS/pred_next_stage/
 * <case>_segFromPrevStage.npz}, one uint8 label map per training case at the full-resolution stage's (transposed)
 * shape, each written by the fold that held the case out ({@code predict_next_stage}).
 */
public final class PreviousStageSegmentations {
    public static final String FOLDER = "pred_next_stage";
    public static final String SUFFIX = "_segFromPrevStage.npz";
    /** v1 unpacks the copies next to the preprocessed stages, in {@code dataset_directory/segs_prev_stage}. */
    public static final String UNPACKED_FOLDER = "segs_prev_stage";

    private PreviousStageSegmentations() {}

    public static Path file(Path folder, String caseId) {
        return folder.resolve(caseId + SUFFIX);
    }

    /**
     * v1 derives the folder from the cascade's output folder: a {@code 3d_cascade_fullres/TASK/TRAINER__PLANS/fold_N}
     * folder reads {@code 3d_lowres/TASK/nnUNetTrainerV2__PLANS/pred_next_stage}.
     */
    public static Path lowresFolderFor(Path cascadeFoldDir, String lowresTrainer) {
        Path trainerDir = cascadeFoldDir.toAbsolutePath().getParent();
        Path task = trainerDir.getParent();
        String trainerDirName = trainerDir.getFileName().toString();
        String plans = trainerDirName.substring(trainerDirName.indexOf("__") + 2);
        return task.getParent().getParent().resolve("3d_lowres").resolve(task.getFileName())
                .resolve(lowresTrainer + "__" + plans).resolve(FOLDER);
    }

    /** v1's checks: the folder must exist (the lowres stage trained and predicted), and hold every case. */
    public static void requireComplete(Path folder, List<String> caseIds) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("Cannot run final stage of cascade: " + folder + " is missing. Run the "
                    + "corresponding 3d_lowres (all folds) first; it predicts the segmentations for the next stage");
        }
        for (String id : caseIds) {
            if (!Files.isRegularFile(file(folder, id))) {
                throw new IOException("seg from prev stage missing: " + file(folder, id)
                        + " (train the 3d_lowres fold that validates " + id + ")");
            }
        }
    }

    public static NpyArray read(Path folder, String caseId) throws IOException {
        Path f = file(folder, caseId);
        NpyArray a = LabelNpz.read(f);
        if (a.shape().length != 3) {
            throw new IOException(f + ": expected a (z, y, x) label map, got shape " + Arrays.toString(a.shape()));
        }
        return a;
    }

    /**
     * v1 initialize(training=True): copies the predictions into {@code unpackDir} and unpacks them, here straight
     * to float32 {@code .npy} which the data loader memory-maps (a dataset larger than the heap still trains).
     * Each map must have the spatial shape of its preprocessed case.
     */
    public static Map<String, MappedNpy> unpack(Path folder, PreprocessedDataset dataset, Path unpackDir)
            throws IOException {
        requireComplete(folder, dataset.caseIds());
        Files.createDirectories(unpackDir);
        Map<String, MappedNpy> mapped = new LinkedHashMap<>();
        for (String id : dataset.caseIds()) {
            NpyArray seg = read(folder, id);
            int[] expected = dataset.get(id).spatialShape();
            if (!Arrays.equals(seg.shape(), expected)) {
                throw new IOException(file(folder, id) + ": shape " + Arrays.toString(seg.shape())
                        + " differs from the preprocessed case's " + Arrays.toString(expected)
                        + " (predictions of another plans version?)");
            }
            Path npy = unpackDir.resolve(id + "_segFromPrevStage.npy");
            NpyWriter.write(npy, seg);
            mapped.put(id, NpyReader.map(npy));
        }
        return mapped;
    }

    /**
     * v1 {@code to_one_hot(seg, range(1, num_classes))}: one channel per foreground label, the extra network inputs
     * of the cascade's full-resolution stage.
     */
    public static float[][] oneHot(float[] seg, int numClasses) {
        float[][] out = new float[numClasses - 1][seg.length];
        for (int i = 0; i < seg.length; i++) {
            int label = (int) seg[i];
            if (label >= 1 && label < numClasses && seg[i] == label) {
                out[label - 1][i] = 1f;
            }
        }
        return out;
    }
}
