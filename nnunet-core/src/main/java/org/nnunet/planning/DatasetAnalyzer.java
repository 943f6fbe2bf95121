package org.nnunet.planning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nnunet.cropping.CaseProperties;
import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.cropping.ImageCropper;
import org.nnunet.util.NpyArray;

/**
 * Builds the dataset fingerprint from the cropped data: nnU-Net v1 {@code experiment_planning/DatasetAnalyzer}.
 * Each case is read once, on a pool of JVM threads.
 */
public final class DatasetAnalyzer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** {@code _get_voxels_in_foreground}: every 10th foreground voxel, "no need to take every voxel". */
    static final int FOREGROUND_STRIDE = 10;

    private DatasetAnalyzer() {}

    /** nnUNet_plan_and_preprocess collects intensity properties only when a modality is named exactly CT or ct. */
    public static boolean needsIntensityProperties(Map<Integer, String> modalities) {
        return modalities.containsValue("CT") || modalities.containsValue("ct");
    }

    /**
     * @param labels dataset.json {@code labels} (value as string to name)
     * @param modalities dataset.json {@code modality} (index to name)
     */
    public static DatasetFingerprint analyze(CroppedDataFolder folder, Map<String, String> labels,
            Map<Integer, String> modalities, boolean collectIntensityProperties, int threads) throws IOException {
        List<String> ids = folder.caseIds();
        if (ids.isEmpty()) {
            throw new IOException("no cropped cases (*" + CroppedDataFolder.DATA_SUFFIX + ") in " + folder.dir());
        }
        int numModalities = modalities.size();
        List<CaseScan> scans = scanAll(folder, ids, collectIntensityProperties ? numModalities : 0, threads);

        List<int[]> sizes = new ArrayList<>();
        List<double[]> spacings = new ArrayList<>();
        Map<String, Double> sizeReductions = new LinkedHashMap<>();
        Map<String, DatasetFingerprint.SegmentationProps> segProps = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            CaseScan s = scans.get(i);
            sizes.add(s.properties.sizeAfterCropping());
            spacings.add(s.properties.originalSpacing());
            sizeReductions.put(ids.get(i), s.properties.sizeReduction());
            segProps.put(ids.get(i), new DatasetFingerprint.SegmentationProps(s.uniqueLabels));
        }
        int[] allClasses = labels.keySet().stream().mapToInt(Integer::parseInt).filter(v -> v > 0).toArray();

        Map<Integer, IntensityProperties> intensity = null;
        if (collectIntensityProperties) {
            intensity = new LinkedHashMap<>();
            for (int m = 0; m < numModalities; m++) {
                Map<String, IntensityStatistics> local = new LinkedHashMap<>();
                int total = 0;
                for (int i = 0; i < ids.size(); i++) {
                    float[] v = scans.get(i).foreground[m];
                    local.put(ids.get(i), IntensityStatistics.of(v));
                    total += v.length;
                }
                float[] pooled = new float[total];
                int off = 0;
                for (CaseScan s : scans) {
                    System.arraycopy(s.foreground[m], 0, pooled, off, s.foreground[m].length);
                    off += s.foreground[m].length;
                }
                intensity.put(m, IntensityProperties.of(IntensityStatistics.of(pooled), local));
            }
        }
        return new DatasetFingerprint(List.copyOf(ids), sizes, spacings, allClasses, new LinkedHashMap<>(labels),
                new LinkedHashMap<>(modalities), intensity, sizeReductions, segProps);
    }

    public static void write(DatasetFingerprint fp, Path file) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "dataset_properties", ".tmp");
        JSON.writeValue(tmp.toFile(), fp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static DatasetFingerprint read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), DatasetFingerprint.class);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read dataset fingerprint: " + e.getMessage(), e);
        }
    }

    private record CaseScan(CaseProperties properties, double[] uniqueLabels, float[][] foreground) {}

    private static List<CaseScan> scanAll(CroppedDataFolder folder, List<String> ids, int intensityModalities,
            int threads) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<CaseScan>> jobs = new ArrayList<>();
            for (String id : ids) {
                jobs.add(pool.submit(() -> scan(folder, id, intensityModalities)));
            }
            List<CaseScan> out = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                try {
                    out.add(jobs.get(i).get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    throw new IOException("analyzing case " + ids.get(i) + ": " + c.getMessage(), c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("dataset analysis interrupted", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static CaseScan scan(CroppedDataFolder folder, String id, int intensityModalities) throws IOException {
        CaseProperties props = folder.readProperties(id);
        NpyArray all = folder.readData(id);
        int channels = all.shape()[0];
        if (channels < intensityModalities + 1) {
            throw new IOException(folder.dataFile(id) + ": " + channels + " channels, expected "
                    + (intensityModalities + 1) + " (modalities + segmentation)");
        }
        int len = all.sliceLength();
        float[] data = all.data();
        int segOff = (channels - 1) * len;
        double[] unique = ImageCropper.uniqueValues(data, segOff, len);
        float[][] fg = new float[intensityModalities][];
        for (int m = 0; m < intensityModalities; m++) {
            fg[m] = foregroundSample(data, m * len, data, segOff, len);
        }
        return new CaseScan(props, unique, fg);
    }

    /** {@code modality[seg > 0][::10]}: C-order foreground voxels, every 10th starting with the first. */
    static float[] foregroundSample(float[] img, int imgOff, float[] seg, int segOff, int len) {
        int count = 0;
        for (int i = 0; i < len; i++) {
            if (seg[segOff + i] > 0) {
                count++;
            }
        }
        float[] out = new float[(count + FOREGROUND_STRIDE - 1) / FOREGROUND_STRIDE];
        int k = 0, o = 0;
        for (int i = 0; i < len; i++) {
            if (seg[segOff + i] > 0) {
                if (k % FOREGROUND_STRIDE == 0) {
                    out[o++] = img[imgOff + i];
                }
                k++;
            }
        }
        return out;
    }

}
