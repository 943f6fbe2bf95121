package org.nnunet.inference;

import java.io.IOException;
import java.nio.file.Path;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.postprocessing.Postprocessor;

/**
 * One case of v1.7.1 {@code predict.predict_cases} after preprocessing: the folds' mean softmax, exported to
 * {@code <case>.nii.gz} (and with {@code saveNpz} the float16 softmax to {@code <case>.npz} plus {@code <case>.json});
 * the postprocessing of the model's {@code postprocessing.json}, if given, is applied to the written segmentation
 * only, the npz stays raw (as v1, which postprocesses the written files in place).
 */
public final class CasePredictor {
    private final FoldEnsemblePredictor folds;
    private final SegmentationExporter exporter;
    private final int[] transposeBackward;
    private final Postprocessor postprocessor;

    /**
     * @param transposeBackward the plans' {@code transpose_backward} (null: identity)
     * @param postprocessor     null: no postprocessing ({@code --disable_postprocessing} or no postprocessing.json)
     */
    public CasePredictor(FoldEnsemblePredictor folds, SegmentationExporter exporter, int[] transposeBackward,
                         Postprocessor postprocessor) {
        this.folds = folds;
        this.exporter = exporter;
        this.transposeBackward = transposeBackward == null ? null : transposeBackward.clone();
        this.postprocessor = postprocessor;
    }

    /**
     * @param preprocessed the preprocessed (cropped, transposed, resampled, normalised) channels
     * @param shape        their (z, y, x) shape
     * @param niftiFile    output segmentation, {@code <case>.nii.gz}
     */
    public LabelVolume predict(float[][] preprocessed, int[] shape, ExportProperties properties, Path niftiFile,
                               boolean saveNpz) throws IOException {
        SoftmaxVolume softmax = folds.predict(preprocessed, shape);
        Path npz = saveNpz ? npzFileFor(niftiFile) : null;
        return exporter.export(softmax, transposeBackward, properties, niftiFile, npz,
                postprocessor == null ? null : postprocessor::apply);
    }

    /** v1: {@code output_filename[:-7] + ".npz"}. */
    public static Path npzFileFor(Path niftiFile) {
        String name = niftiFile.getFileName().toString();
        String stem = name.endsWith(".nii.gz") ? name.substring(0, name.length() - 7)
                : name.endsWith(".nii") ? name.substring(0, name.length() - 4) : name;
        return niftiFile.resolveSibling(stem + ".npz");
    }
}
