package org.nnunet.cropping;

import java.nio.file.Path;
import java.util.List;

/** Input of the cropper: a case id, one image file per modality (in modality order) and the label file or null. */
public record RawCase(String caseId, List<Path> dataFiles, Path segFile) {

    public RawCase {
        if (dataFiles.isEmpty()) {
            throw new IllegalArgumentException("case " + caseId + " has no image file");
        }
        dataFiles = List.copyOf(dataFiles);
    }
}
