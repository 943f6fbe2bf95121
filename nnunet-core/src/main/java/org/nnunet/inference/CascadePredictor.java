package org.nnunet.inference;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;

/**
 * A {@link CascadePackage} loaded for prediction, v1 {@code nnUNet_predict -m 3d_cascade_fullres} without {@code -l}
 * (predict_simple): the 3d_lowres folds segment the case first (with their postprocessing, if any) into a NIfTI at
 * the input's geometry, then the cascade's folds segment it with that segmentation as extra input.
 */
public final class CascadePredictor implements CaseSegmenter {

    private final ModelPredictor lowres;
    private final ModelPredictor cascade;
    private final Path scratch;

    private CascadePredictor(ModelPredictor lowres, ModelPredictor cascade, Path scratch) {
        this.lowres = lowres;
        this.cascade = cascade;
        this.scratch = scratch;
    }

    /** @param scratch folder for the per-request lowres segmentations */
    public static CascadePredictor load(CascadePackage.Local pkg, Device device, Path scratch) throws IOException {
        ModelPredictor lowres = ModelPredictor.fromPackage(pkg.lowres(), device);
        try {
            ModelPredictor cascade = ModelPredictor.fromPackage(pkg.cascade(), device);
            return new CascadePredictor(lowres, cascade, Files.createDirectories(scratch));
        } catch (IOException | RuntimeException e) {
            lowres.close();
            throw e;
        }
    }

    @Override
    public int numModalities() {
        return cascade.numModalities();
    }

    @Override
    public LabelVolume predict(String caseId, List<Volume> modalities, Path niftiFile) throws IOException {
        Path work = Files.createTempDirectory(scratch, "cascade-");
        try {
            Path lowresFile = work.resolve(caseId + ".nii.gz");
            lowres.predict(caseId, modalities, lowresFile);
            return cascade.predict(caseId, modalities, NiftiIO.read(lowresFile), niftiFile);
        } finally {
            try (var files = Files.list(work)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    @Override
    public void close() {
        lowres.close();
        cascade.close();
    }
}
