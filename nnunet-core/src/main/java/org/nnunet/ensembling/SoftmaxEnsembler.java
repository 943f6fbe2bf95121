package org.nnunet.ensembling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.nnunet.inference.ExportProperties;
import org.nnunet.inference.SegmentationExporter;
import org.nnunet.inference.SoftmaxFiles;
import org.nnunet.inference.SoftmaxMean;
import org.nnunet.inference.SoftmaxVolume;
import org.nnunet.postprocessing.PostprocessingPlan;
import org.nnunet.postprocessing.Postprocessor;

/**
 * {@code nnUNet_ensemble}, v1.7.1 {@code inference/ensemble_predictions.merge}: every folder holds
 * {@code <case>.npz} softmax files (already at original spacing, written with {@code --save_npz}) and their
 * properties ({@code <case>.json}, v1's {@code .pkl}); per case the softmax files are averaged, argmax'd and written
 * as {@code <output>/<case>.nii.gz} with the properties of the first folder. With a postprocessing plan, the results
 * are also postprocessed into {@code <output>_postprocessed}, which gets a copy of the plan.
 */
public final class SoftmaxEnsembler {
    private final SegmentationExporter exporter = new SegmentationExporter((s, shape, o, r) -> {
        throw new IllegalStateException("ensembled softmax has shape " + java.util.Arrays.toString(s.shape())
                + ", not the cropped size " + java.util.Arrays.toString(shape) + " its properties give");
    });

    /**
     * @param postprocessing null: no postprocessing (v1 without {@code -pp})
     * @param storeNpz       also write the mean softmax ({@code .npz}, float16) and properties to the output
     * @return the case ids merged
     */
    public List<String> merge(List<Path> folders, Path output, PostprocessingPlan postprocessing, boolean storeNpz)
            throws IOException {
        TreeSet<String> ids = new TreeSet<>();
        for (Path f : folders) {
            ids.addAll(caseIds(f));
        }
        for (Path f : folders) {
            for (String id : ids) {
                if (!Files.isRegularFile(f.resolve(id + ".npz"))) {
                    throw new IOException("not all case npz are in every folder: " + f.resolve(id + ".npz")
                            + " missing");
                }
                if (!Files.isRegularFile(f.resolve(id + ".json"))) {
                    throw new IOException("properties " + f.resolve(id + ".json") + " missing");
                }
            }
        }
        Files.createDirectories(output);
        for (String id : ids) {
            SoftmaxMean mean = new SoftmaxMean();
            for (Path f : folders) {
                mean.add(SoftmaxFiles.read(f.resolve(id + ".npz")));
            }
            SoftmaxVolume softmax = mean.mean();
            ExportProperties props = ExportProperties.read(folders.get(0).resolve(id + ".json"));
            exporter.export(softmax, null, props, output.resolve(id + ".nii.gz"),
                    storeNpz ? output.resolve(id + ".npz") : null, null);
        }
        if (postprocessing != null) {
            Path pp = output.resolveSibling(output.getFileName() + "_postprocessed");
            new Postprocessor(postprocessing).applyToFolder(output, pp);
            postprocessing.write(pp.resolve(PostprocessingPlan.FILE_NAME));
        }
        return new ArrayList<>(ids);
    }

    private static List<String> caseIds(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + " is not a folder");
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npz"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }
}
