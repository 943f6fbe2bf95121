package org.nnunet.planner;

import org.nnunet.dataset.DatasetIntegrityChecker;
import org.nnunet.dataset.IntegrityReport;
import org.nnunet.nifti.NiftiHeader;
import org.nnunet.nifti.NiftiIO;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What an uploaded task must pass before anything of it is stored: 3D NIfTI files only, then nnU-Net v1's
 * verify_dataset_integrity ({@link DatasetIntegrityChecker}) with geometry mismatches as errors, since v1 raises
 * for them and so stops nnUNet_plan_and_preprocess. A failure is a 422 naming the file.
 */
final class UploadedTaskCheck {

    /** Errors quoted in the answer; a dataset broken everywhere would otherwise give a megabyte of text. */
    private static final int MAX_ERRORS_SHOWN = 10;
    private static final List<String> NIFTI_FOLDERS = List.of("imagesTr", "labelsTr", "imagesTs");

    private final int threads;

    UploadedTaskCheck(int threads) {
        this.threads = threads;
    }

    /**
     * Every image and label is 3D (a 4D file with one volume counts as 3D, as SimpleITK reads it). Before the
     * Decathlon conversion ({@code decathlonImages}) an image may be 4D: the conversion splits it into modalities.
     * nnU-Net takes 2D data as 3D files with one slice, so a file with fewer dimensions is refused too.
     */
    void requireThreeDimensional(Path taskDir, boolean decathlonImages) throws IOException {
        for (String folder : NIFTI_FOLDERS) {
            Path dir = taskDir.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".nii.gz")).sorted().toList();
            }
            for (Path f : files) {
                NiftiHeader h;
                try {
                    h = NiftiIO.readHeader(f);
                } catch (IOException e) {
                    throw rejected(taskDir, "not a readable NIfTI file: " + e.getMessage());
                }
                long ndim = h.dim()[0];
                boolean threeD = ndim == 3 || (ndim == 4 && h.volumeCount() == 1);
                boolean splittable = decathlonImages && !folder.equals("labelsTr") && ndim == 4;
                if (!threeD && !splittable) {
                    throw rejected(taskDir, f + " has " + ndim + " dimensions (dim " + Arrays.toString(h.dim())
                            + "), expected a 3D image" + (folder.equals("labelsTr") ? " (labels are 3D)" : "")
                            + "; nnU-Net takes 2D data as 3D files with one slice");
                }
            }
        }
    }

    /** Runs the integrity check on the (converted) nnU-Net task folder. */
    void requireIntegrity(Path taskDir) {
        IntegrityReport report = new DatasetIntegrityChecker(threads, true).check(taskDir);
        if (report.ok()) {
            return;
        }
        List<String> errors = report.errors();
        StringBuilder message = new StringBuilder("dataset integrity check failed (nnU-Net v1 "
                + "verify_dataset_integrity), ").append(errors.size()).append(" error(s): ");
        message.append(String.join("; ", errors.subList(0, Math.min(errors.size(), MAX_ERRORS_SHOWN))));
        if (errors.size() > MAX_ERRORS_SHOWN) {
            message.append("; ... and ").append(errors.size() - MAX_ERRORS_SHOWN).append(" more");
        }
        throw rejected(taskDir, message.toString());
    }

    /** The message names files by their paths in the task ({@code imagesTr/x_0000.nii.gz}), not the local ones. */
    private static DatasetUpload.Rejected rejected(Path taskDir, String message) {
        return new DatasetUpload.Rejected(message.replace(taskDir + "/", ""), 422);
    }
}
