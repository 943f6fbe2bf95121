package org.nnunet.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;

/**
 * A tiny valid nnU-Net raw task written to a temp folder: 4x5x6 volumes, labels {0: background, 1, 2}, the given
 * training and test cases and number of modalities. Tests break one thing and check what the checker says.
 */
final class TaskFixture {

    static final int[] SHAPE = {4, 5, 6};
    static final ImageGeometry GEOMETRY = new ImageGeometry(new double[] {0.8, 0.9, 2.5},
            new double[] {-10, 20, 5}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    final Path folder;
    final int modalities;
    DatasetJson json;

    TaskFixture(Path folder, List<String> training, List<String> test, int modalities) throws IOException {
        this.folder = folder;
        this.modalities = modalities;
        for (String sub : List.of("imagesTr", "labelsTr", "imagesTs")) {
            Files.createDirectories(folder.resolve(sub));
        }
        Map<String, String> mods = new LinkedHashMap<>();
        for (int m = 0; m < modalities; m++) {
            mods.put(String.valueOf(m), m == 0 ? "T1" : "T2-" + m);
        }
        json = new DatasetJson("Tiny", "fixture", "none", "none", "0", "4D", mods, orderedLabels(),
                training.size(), test.size(),
                training.stream().map(id -> new DatasetJson.TrainingCase("./imagesTr/" + id + ".nii.gz",
                        "./labelsTr/" + id + ".nii.gz")).toList(),
                test.stream().map(id -> "./imagesTs/" + id + ".nii.gz").toList());
        json.write(folder.resolve("dataset.json"));
        for (String id : training) {
            for (int m = 0; m < modalities; m++) {
                NiftiIO.write(image(m, GEOMETRY), NiftiDataType.FLOAT32, imageTr(id, m));
            }
            NiftiIO.write(label(GEOMETRY), NiftiDataType.UINT8, labelTr(id));
        }
        for (String id : test) {
            for (int m = 0; m < modalities; m++) {
                NiftiIO.write(image(m, GEOMETRY), NiftiDataType.FLOAT32, imageTs(id, m));
            }
        }
    }

    private static Map<String, String> orderedLabels() {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("0", "background");
        l.put("1", "a");
        l.put("2", "b");
        return l;
    }

    static Volume image(int seed, ImageGeometry g) {
        float[] d = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
        for (int i = 0; i < d.length; i++) {
            d[i] = (i * 7 + seed * 13) % 50 - 10.5f;
        }
        return new Volume(SHAPE, d, g);
    }

    static Volume label(ImageGeometry g) {
        float[] d = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
        for (int i = 0; i < d.length; i++) {
            d[i] = i % 3;
        }
        return new Volume(SHAPE, d, g);
    }

    Path imageTr(String id, int m) {
        return folder.resolve("imagesTr").resolve(DatasetJson.modalityFileName(id, m));
    }

    Path labelTr(String id) {
        return folder.resolve("labelsTr").resolve(DatasetJson.labelFileName(id));
    }

    Path imageTs(String id, int m) {
        return folder.resolve("imagesTs").resolve(DatasetJson.modalityFileName(id, m));
    }
}
