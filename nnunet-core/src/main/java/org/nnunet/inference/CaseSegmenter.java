package org.nnunet.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.image.Volume;

/**
 * What the inference service serves: a loaded model, one configuration's folds ({@link ModelPredictor}) or an
 * ensemble of configurations ({@code org.nnunet.ensembling.EnsemblePredictor}), that segments one case held in memory.
 */
public interface CaseSegmenter extends AutoCloseable {

    int numModalities();

    /**
     * Segments one case and writes it as uint8 NIfTI with the geometry of the first modality.
     *
     * @param modalities one volume per modality ({@code _0000}, {@code _0001}, ...), same shape
     */
    LabelVolume predict(String caseId, List<Volume> modalities, Path niftiFile) throws IOException;

    /** Frees the networks' native memory. */
    @Override
    void close();
}
