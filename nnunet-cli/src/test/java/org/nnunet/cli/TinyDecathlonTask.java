package org.nnunet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nnunet.dataset.DatasetJson;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;

/**
 * A tiny Decathlon-layout task ({@code Task09_Tiny}: 3D single-modality files without the {@code _0000} suffix) for
 * pipeline tests: {@code nTrain} labelled and {@code nTest} unlabelled cases of 20x24x28 voxels at spacing
 * (x 1.0, y 1.1, z 1.2) mm with a non-trivial origin; a bright box (label 1) with a brighter core (label 2) on
 * noise, nonzero everywhere except a 2-voxel border (so cropping removes it).
 */
final class TinyDecathlonTask {
    static final int[] SHAPE = {20, 24, 28};
    static final ImageGeometry GEOMETRY = new ImageGeometry(new double[] {1.0, 1.1, 1.2},
            new double[] {-12.5, 30.25, 7.0}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    private TinyDecathlonTask() {}

    static Path write(Path parent, int nTrain, int nTest) throws IOException {
        Path task = parent.resolve("Task09_Tiny");
        for (String sub : List.of("imagesTr", "labelsTr", "imagesTs")) {
            Files.createDirectories(task.resolve(sub));
        }
        List<DatasetJson.TrainingCase> training = new ArrayList<>();
        List<String> test = new ArrayList<>();
        for (int c = 0; c < nTrain + nTest; c++) {
            String id = "tiny_" + String.format("%03d", c);
            Volume[] v = volumes(c);
            if (c < nTrain) {
                NiftiIO.write(v[0], NiftiDataType.FLOAT32, task.resolve("imagesTr").resolve(id + ".nii.gz"));
                NiftiIO.write(v[1], NiftiDataType.UINT8, task.resolve("labelsTr").resolve(id + ".nii.gz"));
                training.add(new DatasetJson.TrainingCase("./imagesTr/" + id + ".nii.gz",
                        "./labelsTr/" + id + ".nii.gz"));
            } else {
                NiftiIO.write(v[0], NiftiDataType.FLOAT32, task.resolve("imagesTs").resolve(id + ".nii.gz"));
                test.add("./imagesTs/" + id + ".nii.gz");
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("0", "background");
        labels.put("1", "box");
        labels.put("2", "core");
        new DatasetJson("Tiny", "generated", "none", "none", "0", "3D", Map.of("0", "MRI"), labels, nTrain, nTest,
                training, test).write(task.resolve("dataset.json"));
        return task;
    }

    /** Image and label of case {@code c}; the box moves with the case. */
    static Volume[] volumes(int c) {
        Random r = new Random(c);
        int n = SHAPE[0] * SHAPE[1] * SHAPE[2];
        float[] img = new float[n];
        float[] seg = new float[n];
        int oz = 5 + c % 3;
        int oy = 6 + c % 4;
        int ox = 7 + c % 5;
        for (int z = 2; z < SHAPE[0] - 2; z++) {
            for (int y = 2; y < SHAPE[1] - 2; y++) {
                for (int x = 2; x < SHAPE[2] - 2; x++) {
                    int i = (z * SHAPE[1] + y) * SHAPE[2] + x;
                    boolean box = z >= oz && z < oz + 8 && y >= oy && y < oy + 9 && x >= ox && x < ox + 10;
                    boolean core = z >= oz + 2 && z < oz + 6 && y >= oy + 3 && y < oy + 6 && x >= ox + 3 && x < ox + 7;
                    img[i] = 100 + (float) r.nextGaussian() * 5 + (box ? 60 : 0) + (core ? 60 : 0);
                    seg[i] = core ? 2 : box ? 1 : 0;
                }
            }
        }
        return new Volume[] {new Volume(SHAPE, img, GEOMETRY), new Volume(SHAPE, seg, GEOMETRY)};
    }
}
