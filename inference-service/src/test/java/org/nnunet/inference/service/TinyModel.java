package org.nnunet.inference.service;

import org.nnunet.cropping.RawCase;
import org.nnunet.dataset.DatasetJson;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.inference.ModelPackage;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.planning.PlanAndPreprocess;
import org.nnunet.planning.PlansIO;
import org.nnunet.preprocessing.PlansPreprocessing;
import org.nnunet.storage.ObjectStore;
import org.nnunet.training.NnUNetTrainerV2;
import org.nnunet.training.TrainerSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny generated two-modality task (5 cases of 20x24x28 at 1 mm, a foreground box) planned, preprocessed and
 * trained with the core code (3d_fullres fold 0, 1 epoch of 2 iterations: a real but untrained model), packaged
 * into the object store as {@code vN}.
 */
final class TinyModel {

    static final String TASK = "Task042_Tiny";
    static final int[] SHAPE = {20, 24, 28};

    private TinyModel() {
    }

    /** Modality {@code m} of generated case {@code c}: intensities inside a 16x20x24 box, 0 outside. */
    static Volume image(int c, int m, ImageGeometry g) {
        float[] img = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
        for (int z = 2; z < 18; z++) {
            for (int y = 2; y < 22; y++) {
                for (int x = 2; x < 26; x++) {
                    boolean fg = z > 8 && z < 12 && y > 8 && y < 14;
                    img[(z * SHAPE[1] + y) * SHAPE[2] + x] = (m == 0 ? 100 + x : 50 + y) + c + (fg ? 200 : 0);
                }
            }
        }
        return new Volume(SHAPE, img, g);
    }

    static Volume label(ImageGeometry g) {
        float[] seg = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
        for (int z = 9; z < 12; z++) {
            for (int y = 9; y < 14; y++) {
                for (int x = 2; x < 26; x++) {
                    seg[(z * SHAPE[1] + y) * SHAPE[2] + x] = 1;
                }
            }
        }
        return new Volume(SHAPE, seg, g);
    }

    /** Trains the tiny model in {@code work} and returns the trained fold folder and the plans file. */
    static Map.Entry<Path, Path> train(Path work) throws IOException {
        Path plans = planAndPreprocess(work, true);
        Path foldDir = work.resolve("results/fold_0");
        TrainerSettings settings = new TrainerSettings("3d_fullres", 0, 1, 2, 1, 1, 1, 12345, "cpu", false);
        new NnUNetTrainerV2(settings, plans.getParent(), foldDir, line -> { }).train();
        return Map.entry(foldDir, plans);
    }

    /** Generates the task and writes its 3D plans only; returns the plans file. */
    static Path plan(Path work) throws IOException {
        return planAndPreprocess(work, false);
    }

    private static Path planAndPreprocess(Path work, boolean preprocess) throws IOException {
        Path raw = work.resolve("raw/" + TASK);
        Files.createDirectories(raw.resolve("imagesTr"));
        Files.createDirectories(raw.resolve("labelsTr"));
        ImageGeometry g = ImageGeometry.identity(new double[] {1, 1, 1});
        List<RawCase> cases = new ArrayList<>();
        List<DatasetJson.TrainingCase> training = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            String id = "tiny_" + c;
            List<Path> files = new ArrayList<>();
            for (int m = 0; m < 2; m++) {
                Path f = raw.resolve("imagesTr").resolve(DatasetJson.modalityFileName(id, m));
                NiftiIO.write(image(c, m, g), NiftiDataType.FLOAT32, f);
                files.add(f);
            }
            Path seg = raw.resolve("labelsTr").resolve(DatasetJson.labelFileName(id));
            NiftiIO.write(label(g), NiftiDataType.UINT8, seg);
            cases.add(new RawCase(id, files, seg));
            training.add(new DatasetJson.TrainingCase("./imagesTr/" + id + ".nii.gz", "./labelsTr/" + id + ".nii.gz"));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("0", "background");
        labels.put("1", "thing");
        Path datasetJson = raw.resolve("dataset.json");
        new DatasetJson("Tiny", "test", "-", "-", "1.0", "3D", Map.of("0", "MRI", "1", "MRI"), labels, 5, 0,
                training, List.of()).write(datasetJson);
        Path pre = work.resolve("preprocessed/" + TASK);
        new PlanAndPreprocess(cases, datasetJson, labels, Map.of(0, "MRI", 1, "MRI"), work.resolve("cropped/" + TASK),
                pre, 1, 1, true, false).run(preprocess ? new PlansPreprocessing() : null, line -> { });
        return pre.resolve(PlansIO.PLANS_3D);
    }

    /** Stores the trained fold as model {@code version} of the tiny task (not promoted). */
    static void publish(ObjectStore store, Map.Entry<Path, Path> trained, String version) throws IOException {
        ModelPackage.write(store, new ModelPackage.Manifest(TASK, version, "3d_fullres", List.of(0),
                        Map.of("mean_dice", 0.1), "test-" + version, "2026-11-27T00:00:00Z"),
                trained.getValue(), null, Map.of(0, trained.getKey()));
    }
}
