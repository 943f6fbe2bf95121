package org.nnunet.service.testing;

import org.nnunet.dataset.DatasetJson;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.service.StoreFolders;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A tiny generated nnU-Net raw task for service tests: {@code cases} single-modality (MRI) cases of 20x24x28 voxels
 * (z, y, x; spacing 1 mm), each a bright ellipsoid (label 1) on noise, with its dataset.json.
 */
public final class TinyTask {

    public static final int[] SHAPE = {20, 24, 28};

    private TinyTask() {
    }

    /** Writes the task folder (dataset.json, imagesTr, labelsTr) into {@code taskDir}; returns the case ids. */
    public static List<String> write(Path taskDir, int cases, long seed) throws IOException {
        Files.createDirectories(taskDir.resolve("imagesTr"));
        Files.createDirectories(taskDir.resolve("labelsTr"));
        Random random = new Random(seed);
        List<String> ids = new ArrayList<>();
        List<DatasetJson.TrainingCase> training = new ArrayList<>();
        ImageGeometry geometry = ImageGeometry.identity(new double[] {1, 1, 1});
        int n = SHAPE[0] * SHAPE[1] * SHAPE[2];
        for (int c = 0; c < cases; c++) {
            String id = String.format("tiny_%03d", c);
            float[] image = new float[n];
            float[] label = new float[n];
            double cz = 10 + random.nextInt(3) - 1, cy = 12 + random.nextInt(3) - 1, cx = 14 + random.nextInt(3) - 1;
            double r = 5 + random.nextInt(3);
            for (int z = 0, i = 0; z < SHAPE[0]; z++) {
                for (int y = 0; y < SHAPE[1]; y++) {
                    for (int x = 0; x < SHAPE[2]; x++, i++) {
                        double d = Math.sqrt(sq(z - cz) + sq(y - cy) + sq((x - cx) * 0.8));
                        boolean inside = d < r;
                        label[i] = inside ? 1 : 0;
                        image[i] = (float) ((inside ? 200 : 50) + 20 * random.nextGaussian());
                    }
                }
            }
            NiftiIO.write(new Volume(SHAPE, image, geometry), NiftiDataType.FLOAT32,
                    taskDir.resolve("imagesTr").resolve(DatasetJson.modalityFileName(id, 0)));
            NiftiIO.write(new Volume(SHAPE, label, geometry), NiftiDataType.UINT8,
                    taskDir.resolve("labelsTr").resolve(DatasetJson.labelFileName(id)));
            ids.add(id);
            training.add(new DatasetJson.TrainingCase("./imagesTr/" + id + ".nii.gz", "./labelsTr/" + id + ".nii.gz"));
        }
        new DatasetJson("Tiny", "generated ellipsoids", "none", "CC0", "1.0", "4D", Map.of("0", "MRI"),
                new TreeMap<>(Map.of("0", "background", "1", "blob")), cases, 0, training, List.of())
                .write(taskDir.resolve("dataset.json"));
        return ids;
    }

    /** Writes the task into a temp folder and uploads it under {@code prefix} (ending in '/'); returns the keys. */
    public static List<String> upload(ObjectStore store, String prefix, int cases, long seed) throws IOException {
        Path dir = Files.createTempDirectory("tiny-task");
        try {
            write(dir, cases, seed);
            return StoreFolders.upload(store, dir, prefix);
        } finally {
            StoreFolders.deleteQuietly(dir);
        }
    }

    private static double sq(double v) {
        return v * v;
    }
}
