package org.nnunet.ensembling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.cropping.RawCase;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.inference.EnsemblePackage;
import org.nnunet.inference.ModelPackage;
import org.nnunet.inference.ModelPredictor;
import org.nnunet.modelselection.ModelSelection;
import org.nnunet.network.NetworkDevice;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.planning.PlanAndPreprocess;
import org.nnunet.planning.PlansIO;
import org.nnunet.preprocessing.PlansPreprocessing;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.training.NnUNetTrainerV2;
import org.nnunet.training.TrainerSettings;

/**
 * Serving an ensemble of configurations (v1 {@code nnUNet_predict --save_npz} per configuration, then
 * {@code nnUNet_ensemble}): a 2d and a 3d_fullres model of a generated task (5 cases of 20x24x28, one fold, 1 epoch
 * of 1 iteration each: untrained but real), stored as an {@link EnsemblePackage}, loaded and asked for one case whose
 * geometry differs from the training cases'.
 */
class EnsemblePredictorTest {
    private static final int[] SHAPE = {20, 24, 28};

    @TempDir
    Path dir;

    @Test
    @DisplayName("ensemble of 2d + 3d_fullres: the mean softmax of the members (as nnUNet_ensemble merges their npz),"
            + " written with the input's shape and geometry")
    void ensembleIsTheMeanOfTheMembersSoftmax() throws IOException {
        Path preprocessed = planAndPreprocess();
        Map<String, Path> plans = Map.of("2d", preprocessed.resolve(PlansIO.PLANS_2D),
                "3d_fullres", preprocessed.resolve(PlansIO.PLANS_3D));
        Map<String, Map<Integer, Path>> folds = new LinkedHashMap<>();
        for (String configuration : List.of("2d", "3d_fullres")) {
            Path foldDir = dir.resolve("results/" + configuration + "/fold_0");
            new NnUNetTrainerV2(new TrainerSettings(configuration, 0, 1, 1, 1, 1, 1, 12345, "cpu", false),
                    preprocessed, foldDir, line -> { }).train();
            folds.put(configuration, Map.of(0, foldDir));
        }
        FileSystemObjectStore store = new FileSystemObjectStore(dir.resolve("store"));
        String name = ModelSelection.ensembleName("2d", "3d_fullres");
        ModelPackage.Manifest manifest = new ModelPackage.Manifest("Task042_Tiny", "v1", name, List.of(0),
                Map.of("mean_dice", 0.5), "v1", "2026-11-27T12:00:00Z");
        EnsemblePackage.write(store, manifest, plans, folds, null);
        EnsemblePackage.Local local = EnsemblePackage.download(store, "Task042_Tiny", "v1", dir.resolve("served"));

        ImageGeometry geometry = new ImageGeometry(new double[] {0.9, 1.0, 1.1}, new double[] {12.5, -40, 7.25},
                new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1});
        Volume input = image(9, geometry);
        Path out = dir.resolve("ensemble/case.nii.gz");
        Files.createDirectories(out.getParent());
        LabelVolume seg;
        try (EnsemblePredictor ensemble = EnsemblePredictor.load(local, NetworkDevice.fromConfig("cpu"),
                dir.resolve("scratch"))) {
            assertEquals(1, ensemble.numModalities());
            seg = ensemble.predict("case", List.of(input), out);
        }
        Volume written = NiftiIO.read(out);
        assertArrayEquals(SHAPE, written.shape());
        assertTrue(written.geometry().approximatelyEquals(geometry, 1e-5), written.geometry().toString());
        for (int label : seg.labels()) {
            assertTrue(label == 0 || label == 1, "label " + label);
        }

        // reference: each member alone with its softmax kept, then nnUNet_ensemble's merge of the two folders
        List<Path> memberFolders = new ArrayList<>();
        for (String configuration : List.of("2d", "3d_fullres")) {
            Path folder = Files.createDirectories(dir.resolve("reference/" + configuration));
            try (ModelPredictor member = new ModelPredictor(PlansIO.read(plans.get(configuration)), configuration,
                    folds.get(configuration), new ModelPredictor.Options(List.of(0), ModelPackage.CHECKPOINT, 0.5,
                    true, true, false), null, NetworkDevice.fromConfig("cpu"), line -> { })) {
                member.predict("case", List.of(input), folder.resolve("case.nii.gz"));
            }
            memberFolders.add(folder);
        }
        new SoftmaxEnsembler().merge(memberFolders, dir.resolve("reference/merged"), null, false);
        assertArrayEquals(NiftiIO.read(dir.resolve("reference/merged/case.nii.gz")).data(), written.data());
    }

    private Path planAndPreprocess() throws IOException {
        Path raw = dir.resolve("raw");
        Files.createDirectories(raw.resolve("imagesTr"));
        Files.createDirectories(raw.resolve("labelsTr"));
        ImageGeometry g = ImageGeometry.identity(new double[] {1, 1, 1});
        List<RawCase> cases = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = String.format("tiny_%03d", i);
            Path image = raw.resolve("imagesTr/" + id + "_0000.nii.gz");
            Path label = raw.resolve("labelsTr/" + id + ".nii.gz");
            Volume img = image(i, g);
            float[] seg = new float[img.data().length];
            for (int v = 0; v < seg.length; v++) {
                seg[v] = img.data()[v] > 150 ? 1 : 0;
            }
            NiftiIO.write(img, NiftiDataType.FLOAT32, image);
            NiftiIO.write(new Volume(SHAPE, seg, g), NiftiDataType.UINT8, label);
            cases.add(new RawCase(id, List.of(image), label));
        }
        Path datasetJson = raw.resolve("dataset.json");
        Files.writeString(datasetJson, """
                {"name": "Tiny", "description": "", "tensorImageSize": "3D", "reference": "", "licence": "",
                 "release": "0", "modality": {"0": "MRI"}, "labels": {"0": "background", "1": "blob"},
                 "numTraining": 5, "numTest": 0, "training": [], "test": []}""");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("0", "background");
        labels.put("1", "blob");
        Path preprocessed = dir.resolve("preprocessed");
        new PlanAndPreprocess(cases, datasetJson, labels, Map.of(0, "MRI"), dir.resolve("cropped"), preprocessed,
                1, 1, true, true).run(new PlansPreprocessing(), s -> { });
        return preprocessed;
    }

    /** A bright ellipsoid (about 200) on noise (about 50), centre shifted by the seed. */
    private static Volume image(int seed, ImageGeometry geometry) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] img = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
        double cz = 10 + seed % 3 - 1;
        for (int z = 0, i = 0; z < SHAPE[0]; z++) {
            for (int y = 0; y < SHAPE[1]; y++) {
                for (int x = 0; x < SHAPE[2]; x++, i++) {
                    double d = Math.sqrt((z - cz) * (z - cz) + (y - 12) * (y - 12) + 0.64 * (x - 14) * (x - 14));
                    img[i] = (float) ((d < 6 ? 200 : 50) + 20 * (rng.nextDouble() - 0.5));
                }
            }
        }
        return new Volume(SHAPE, img, geometry);
    }
}
