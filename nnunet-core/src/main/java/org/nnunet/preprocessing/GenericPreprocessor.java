package org.nnunet.preprocessing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.nnunet.util.NpyArray;
import org.nnunet.util.NpyReader;

/**
 * nnU-Net v1.7.1 {@code GenericPreprocessor.run}: for every stage (target spacing, transposed order) and every case
 * of the cropped-data folder ({@code CASE.npy} (c + 1, z, y, x) with the segmentation last, {@code CASE.json} with
 * {@code original_spacing}), preprocess the case ({@link CasePreprocessor}) and write it to
 * {@code <output>/<data_identifier>_stage<i>} ({@link PreprocessedDataFolder}). Cases run on {@code threads}
 * threads, one case per thread at a time, so memory stays bounded by {@code threads} cases.
 */
public class GenericPreprocessor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CasePreprocessor cases;

    public GenericPreprocessor(PreprocessingConfig config) {
        this.cases = new CasePreprocessor(config);
    }

    /** True for {@link PreprocessorFor2D}: the out-of-plane spacing of each case is kept. */
    protected boolean twoD() {
        return false;
    }

    public void run(List<double[]> targetSpacings, Path croppedDir, Path outputDir, String dataIdentifier,
                    int threads) throws IOException {
        int[] perStage = new int[targetSpacings.size()];
        java.util.Arrays.fill(perStage, threads);
        run(targetSpacings, croppedDir, outputDir, dataIdentifier, perStage);
    }

    /** As v1 with a list {@code num_threads}: stage {@code i} runs on {@code threadsPerStage[i]} threads. */
    public void run(List<double[]> targetSpacings, Path croppedDir, Path outputDir, String dataIdentifier,
                    int[] threadsPerStage) throws IOException {
        if (threadsPerStage.length != targetSpacings.size()) {
            throw new IllegalArgumentException(threadsPerStage.length + " thread counts for "
                    + targetSpacings.size() + " stages");
        }
        List<String> ids = croppedCaseIds(croppedDir);
        if (ids.isEmpty()) {
            throw new IOException("no cropped cases (*.npy) in " + croppedDir);
        }
        for (int stage = 0; stage < targetSpacings.size(); stage++) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threadsPerStage[stage]));
            try {
                PreprocessedDataFolder out = PreprocessedDataFolder.stage(outputDir, dataIdentifier, stage);
                Files.createDirectories(out.dir());
                double[] spacing = targetSpacings.get(stage);
                List<Future<?>> futures = new ArrayList<>();
                for (String id : ids) {
                    futures.add(pool.submit(() -> {
                        preprocessCase(id, croppedDir, out, spacing);
                        return null;
                    }));
                }
                for (int i = 0; i < futures.size(); i++) {
                    try {
                        futures.get(i).get();
                    } catch (ExecutionException e) {
                        Throwable c = e.getCause();
                        throw new IOException("preprocessing case " + ids.get(i) + " of " + croppedDir + " failed: "
                                + c.getMessage(), c);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while preprocessing " + croppedDir, e);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Loads one cropped case, preprocesses it to {@code targetSpacing} and writes it to {@code out}. */
    public void preprocessCase(String caseId, Path croppedDir, PreprocessedDataFolder out, double[] targetSpacing)
            throws IOException {
        Path dataFile = croppedDir.resolve(caseId + ".npy");
        Path propsFile = croppedDir.resolve(caseId + ".json");
        NpyArray all = NpyReader.read(dataFile);
        int[] s = all.shape();
        if (s.length != 4 || s[0] < 2) {
            throw new IOException(dataFile + ": expected a (c + 1, z, y, x) array, got shape "
                    + java.util.Arrays.toString(s));
        }
        ObjectNode props;
        try {
            props = (ObjectNode) JSON.readTree(propsFile.toFile());
        } catch (IOException | ClassCastException e) {
            throw new IOException(propsFile + ": cannot read case properties: " + e.getMessage(), e);
        }
        JsonNode sp = props.get("original_spacing");
        if (sp == null || sp.size() != 3) {
            throw new IOException(propsFile + ": original_spacing missing or not 3 values");
        }
        double[] originalSpacing = {sp.get(0).asDouble(), sp.get(1).asDouble(), sp.get(2).asDouble()};
        float[][] channels = new float[s[0] - 1][];
        for (int c = 0; c < channels.length; c++) {
            channels[c] = all.slice(c);
        }
        float[] seg = all.slice(s[0] - 1);
        all = null; // the stacked copy is not needed while resampling
        PreprocessedCase p = cases.preprocess(channels, seg, new int[] {s[1], s[2], s[3]}, originalSpacing,
                targetSpacing, twoD());
        out.write(caseId, p, props);
    }

    /** Case ids of the cropped folder, sorted (nnU-Net's {@code subfiles(..., sort=True)}). */
    static List<String> croppedCaseIds(Path croppedDir) throws IOException {
        if (!Files.isDirectory(croppedDir)) {
            throw new IOException("cropped data folder " + croppedDir + " does not exist");
        }
        try (Stream<Path> files = Files.list(croppedDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy")).sorted()
                    .map(n -> n.substring(0, n.length() - 4)).toList();
        }
    }
}
