package org.nnunet.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.nifti.NiftiImage;

/**
 * nnUNet_convert_decathlon_task (experiment_planning/nnUNet_convert_decathlon_task.py and utils.split_4d): turns a
 * Medical Segmentation Decathlon folder {@code TaskXX_NAME} into {@code nnUNet_raw_data/TaskXXX_NAME}.
 * <ul>
 * <li>4D images are split into one 3D file per modality {@code case_000i.nii.gz}, keeping the 3D geometry, the
 * source datatype and the header's xform codes and units (split_4d_nifti); images with scl_slope/scl_inter are
 * written as float32.</li>
 * <li>3D images are copied byte for byte to {@code case_0000.nii.gz}: v1 does exactly this ({@code shutil.copy} when
 * the image has 3 dimensions), so the content is identical by construction and nothing is re-encoded.</li>
 * <li>labelsTr is copied as is; names starting with {@code .} (macOS {@code ._} resource forks) are skipped.
 * v1 deletes those files from the input folder; we leave the input untouched.</li>
 * <li>An existing output folder is replaced, as in v1.</li>
 * </ul>
 */
public final class DecathlonConverter {

    /** What a conversion produced. */
    public record Summary(TaskName task, Path outputFolder, int trainingCases, int testCases,
            Map<String, String> modalities, Map<String, String> labels, int imagesSplit4D, int imagesCopied3D) {}

    private DecathlonConverter() {}

    /**
     * @param decathlonFolder a {@code TaskXX_NAME} folder with dataset.json, imagesTr, labelsTr, imagesTs
     * @param rawData {@code nnUNet_raw_data_base/nnUNet_raw_data}
     * @param outputTaskId replaces the task id if not null
     * @param threads worker threads (v1's {@code -p})
     */
    public static Summary convert(Path decathlonFolder, Path rawData, Integer outputTaskId, int threads)
            throws IOException {
        Path input = decathlonFolder.toAbsolutePath().normalize();
        String fullName = input.getFileName().toString();
        validateLayout(input, fullName);
        TaskName task = new TaskName(outputTaskId != null ? outputTaskId : Integer.parseInt(fullName.substring(4, 6)),
                fullName.substring(7));
        // rewritten first so that a bad case entry fails before any file is written
        DatasetJson converted = DatasetJson.read(input.resolve("dataset.json")).withNnUNetCasePaths();

        Path output = rawData.resolve(task.fullName());
        deleteRecursively(output);
        List<Callable<Boolean>> jobs = new ArrayList<>();
        for (String sub : List.of("imagesTr", "imagesTs")) {
            Path outDir = Files.createDirectories(output.resolve(sub));
            for (Path image : visibleFiles(input.resolve(sub), ".nii.gz")) {
                jobs.add(() -> splitImage(image, outDir));
            }
        }
        Path labelsOut = Files.createDirectories(output.resolve("labelsTr"));
        for (Path label : visibleFiles(input.resolve("labelsTr"), "")) {
            jobs.add(() -> {
                Files.copy(label, labelsOut.resolve(label.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                return null;
            });
        }
        List<Boolean> results = runAll(jobs, threads);
        int split = (int) results.stream().filter(Boolean.TRUE::equals).count();
        int copied = (int) results.stream().filter(Boolean.FALSE::equals).count();

        converted.write(output.resolve("dataset.json"));
        return new Summary(task, output, converted.numTraining(), converted.numTest(), converted.modality(),
                converted.labels(), split, copied);
    }

    private static void validateLayout(Path input, String fullName) {
        List<String> problems = new ArrayList<>();
        if (!fullName.startsWith("Task") || fullName.indexOf('_') != 6
                || !Character.isDigit(fullName.charAt(4)) || !Character.isDigit(fullName.charAt(5))) {
            problems.add("the folder name must be TaskXX_NAME with a 2-digit id XX, e.g. Task04_Hippocampus");
        }
        for (String sub : List.of("imagesTr", "labelsTr", "imagesTs")) {
            if (!Files.isDirectory(input.resolve(sub))) {
                problems.add("subfolder " + sub + " is missing");
            }
        }
        if (!Files.isRegularFile(input.resolve("dataset.json"))) {
            problems.add("dataset.json is missing");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(input + " does not look like a Decathlon task folder: "
                    + String.join("; ", problems));
        }
    }

    /** Returns true when the file was split (4D), false when copied (3D). */
    private static boolean splitImage(Path image, Path outDir) throws IOException {
        String base = image.getFileName().toString();
        String caseId = base.substring(0, base.length() - ".nii.gz".length());
        NiftiHeaderPeek header = NiftiHeaderPeek.of(image);
        if (header.ndim() == 3 || (header.ndim() == 4 && header.volumes() == 1)) {
            Files.copy(image, outDir.resolve(DatasetJson.modalityFileName(caseId, 0)));
            return false;
        }
        if (header.ndim() != 4) {
            throw new IOException("Unexpected dimensionality " + header.ndim() + " of file " + image
                    + ", cannot split (need 3D or 4D)");
        }
        NiftiImage source = NiftiIO.readWithHeader(image);
        // scaled integers come out as floats (as SimpleITK gives them); re-encoding them unscaled would round
        NiftiDataType type = source.header().hasScaling() ? NiftiDataType.FLOAT32 : source.dataType();
        List<Volume> channels = source.volumes();
        for (int i = 0; i < channels.size(); i++) {
            NiftiIO.write(channels.get(i), type, outDir.resolve(DatasetJson.modalityFileName(caseId, i)),
                    source.header());
        }
        return true;
    }

    private static List<Boolean> runAll(List<Callable<Boolean>> jobs, int threads) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<Boolean>> futures = pool.invokeAll(jobs);
            List<Boolean> results = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (Future<Boolean> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    failures.add(String.valueOf(e.getCause()));
                }
            }
            if (!failures.isEmpty()) {
                throw new IOException("Decathlon conversion failed for " + failures.size() + " file(s):\n  "
                        + String.join("\n  ", failures));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("conversion interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Files of a folder ending with the suffix, skipping hidden ones, sorted by name. */
    private static List<Path> visibleFiles(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && n.endsWith(suffix);
            }).sorted().toList();
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
