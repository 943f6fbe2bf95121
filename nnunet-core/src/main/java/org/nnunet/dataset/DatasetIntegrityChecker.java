package org.nnunet.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;

/**
 * {@code --verify_dataset_integrity}: the checks of nnunet/preprocessing/sanity_checks.py verify_dataset_integrity
 * (v1.7.1) on a converted task folder, collecting every problem instead of stopping at the first.
 * <p>Errors: missing dataset.json/imagesTr/labelsTr; duplicate case ids; a missing label or modality file; label
 * keys not 0, 1, 2, ... consecutively; label values not declared in dataset.json; NaN in an image or label; an image
 * whose size differs from its label's; files in imagesTr/labelsTr/imagesTs that dataset.json does not list; test
 * modalities whose geometry differs (v1 asserts there).
 * <p>Warnings: origin, spacing or direction of a training image differing from its label (v1 prints and finally
 * raises a {@code Warning}); images of imagesTr not all in the same axis orientation (v1's
 * verify_all_same_orientation); numTraining/numTest not matching the lists.
 * <p>Geometry is compared like {@code np.isclose} (rtol 1e-5, atol 1e-8) as v1's verify_same_geometry does.
 */
public final class DatasetIntegrityChecker {

    private final int threads;
    private final boolean geometryMismatchIsError;

    public DatasetIntegrityChecker(int threads) {
        this(threads, false);
    }

    /**
     * @param geometryMismatchIsError report origin/spacing/direction mismatches between a training image and its
     *        label as errors: v1 finally raises a Python {@code Warning} for them, which stops
     *        nnUNet_plan_and_preprocess (the planner's REST upload refuses such a dataset)
     */
    public DatasetIntegrityChecker(int threads, boolean geometryMismatchIsError) {
        this.threads = Math.max(1, threads);
        this.geometryMismatchIsError = geometryMismatchIsError;
    }

    /** Checks and throws {@link DatasetIntegrityException} listing all errors if there is any. */
    public IntegrityReport verify(Path taskFolder) {
        IntegrityReport report = check(taskFolder);
        if (!report.ok()) {
            throw new DatasetIntegrityException(report);
        }
        return report;
    }

    /** Checks every rule; problems go into the report, nothing is thrown for bad data. */
    public IntegrityReport check(Path taskFolder) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Path jsonFile = taskFolder.resolve("dataset.json");
        Path imagesTr = taskFolder.resolve("imagesTr");
        Path labelsTr = taskFolder.resolve("labelsTr");
        Path imagesTs = taskFolder.resolve("imagesTs");
        if (!Files.isRegularFile(jsonFile)) {
            errors.add("There needs to be a dataset.json file in " + taskFolder);
        }
        if (!Files.isDirectory(imagesTr)) {
            errors.add("There needs to be an imagesTr subfolder in " + taskFolder);
        }
        if (!Files.isDirectory(labelsTr)) {
            errors.add("There needs to be a labelsTr subfolder in " + taskFolder);
        }
        if (!errors.isEmpty()) {
            return new IntegrityReport(taskFolder, errors, warnings, 0, 0);
        }
        DatasetJson json;
        List<String> trainIds;
        List<String> testIds;
        try {
            json = DatasetJson.read(jsonFile);
            trainIds = json.trainingIdentifiers();
            testIds = json.testIdentifiers();
        } catch (IOException | IllegalArgumentException e) {
            errors.add(e.getMessage());
            return new IntegrityReport(taskFolder, errors, warnings, 0, 0);
        }
        duplicates(trainIds).forEach(id -> errors.add("duplicate training case in dataset.json: " + id));
        duplicates(testIds).forEach(id -> errors.add("duplicate test case in dataset.json: " + id));
        if (json.numTraining() != trainIds.size()) {
            warnings.add("dataset.json numTraining is " + json.numTraining() + " but training lists "
                    + trainIds.size() + " cases");
        }
        if (json.numTest() != testIds.size()) {
            warnings.add("dataset.json numTest is " + json.numTest() + " but test lists " + testIds.size() + " cases");
        }
        Set<Float> expectedLabels = checkLabelDeclaration(json, errors);
        if (json.numModalities() == 0) {
            errors.add("dataset.json declares no modality");
        }

        RawDataset dataset = new RawDataset(taskFolder, json);
        List<RawDataset.CaseFiles> trainCases = dataset.trainingCases();
        List<RawDataset.CaseFiles> testCases = testIds.isEmpty() ? List.of() : dataset.testCases();
        List<Callable<CaseResult>> jobs = new ArrayList<>();
        trainCases.forEach(c -> jobs.add(() -> checkTrainingCase(c, expectedLabels, geometryMismatchIsError)));
        testCases.forEach(c -> jobs.add(() -> checkTestCase(c)));
        Map<String, String> axisCodes = new LinkedHashMap<>();
        for (CaseResult r : runAll(jobs)) {
            errors.addAll(r.errors);
            warnings.addAll(r.warnings);
            axisCodes.putAll(r.axisCodes);
        }

        Set<Path> listed = new HashSet<>();
        for (RawDataset.CaseFiles c : trainCases) {
            listed.addAll(c.images());
            listed.add(c.label());
        }
        testCases.forEach(c -> listed.addAll(c.images()));
        stragglers(imagesTr, listed, "imagesTr", errors);
        stragglers(labelsTr, listed, "labelsTr", errors);
        if (!testCases.isEmpty()) {
            if (Files.isDirectory(imagesTs)) {
                stragglers(imagesTs, listed, "imagesTs", errors);
            } else {
                errors.add("dataset.json lists test cases but there is no imagesTs subfolder in " + taskFolder);
            }
        }
        Set<String> orientations = new TreeSet<>(axisCodes.values());
        if (orientations.size() > 1) {
            warnings.add("Not all images in imagesTr have the same axis ordering " + orientations
                    + "; we very strongly recommend reorienting the data (fslreorient2std should do it): "
                    + axisCodes);
        }
        return new IntegrityReport(taskFolder, errors, warnings, trainCases.size(), testCases.size());
    }

    /** v1.7.1: the first label must be 0 (background) and the keys consecutive; returns the declared values. */
    private static Set<Float> checkLabelDeclaration(DatasetJson json, List<String> errors) {
        List<Integer> labels;
        try {
            labels = json.labelValues();
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return Set.of();
        }
        if (labels.isEmpty() || labels.get(0) != 0) {
            errors.add("dataset.json labels: the first label must be 0 and maps to the background, got " + labels);
        }
        for (int i = 1; i < labels.size(); i++) {
            if (labels.get(i) - labels.get(i - 1) != 1) {
                errors.add("dataset.json labels must be consecutive (0, 1, 2, ...): " + labels.get(i)
                        + " follows " + labels.get(i - 1));
            }
        }
        Set<Float> values = new HashSet<>();
        labels.forEach(l -> values.add(l.floatValue()));
        return values;
    }

    private record CaseResult(List<String> errors, List<String> warnings, Map<String, String> axisCodes) {
        CaseResult() {
            this(new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>());
        }
    }

    private static CaseResult checkTrainingCase(RawDataset.CaseFiles c, Set<Float> expectedLabels,
            boolean strictGeometry) {
        CaseResult r = new CaseResult();
        String prefix = "training case " + c.id() + ": ";
        boolean complete = true;
        if (!Files.isRegularFile(c.label())) {
            r.errors.add(prefix + "could not find label file " + c.label());
            complete = false;
        }
        for (Path image : c.images()) {
            if (!Files.isRegularFile(image)) {
                r.errors.add(prefix + "could not find image file " + image);
                complete = false;
            }
        }
        if (!complete) {
            return r;
        }
        Volume label;
        try {
            label = NiftiIO.read(c.label());
        } catch (IOException | RuntimeException e) {
            r.errors.add(prefix + "cannot read label " + c.label() + ": " + e.getMessage());
            return r;
        }
        checkLabelValues(label, c.label(), expectedLabels, prefix, r);
        for (Path imageFile : c.images()) {
            Volume image;
            try {
                image = NiftiIO.read(imageFile);
            } catch (IOException | RuntimeException e) {
                r.errors.add(prefix + "cannot read image " + imageFile + ": " + e.getMessage());
                continue;
            }
            r.axisCodes.put(imageFile.getFileName().toString(), axisCodes(image.geometry()));
            int nan = countNaN(image.data());
            if (nan > 0) {
                r.errors.add(prefix + "there are " + nan + " NaN values in image " + imageFile);
            }
            compareGeometry(image, imageFile, label, c.label(), prefix, strictGeometry, r);
        }
        return r;
    }

    /** v1 reads test images only to compare modalities with each other, and only when there are several. */
    private static CaseResult checkTestCase(RawDataset.CaseFiles c) {
        CaseResult r = new CaseResult();
        String prefix = "test case " + c.id() + ": ";
        boolean complete = true;
        for (Path image : c.images()) {
            if (!Files.isRegularFile(image)) {
                r.errors.add(prefix + "could not find image file " + image);
                complete = false;
            }
        }
        if (!complete || c.images().size() < 2) {
            return r;
        }
        try {
            Volume reference = NiftiIO.read(c.images().get(0));
            for (Path imageFile : c.images().subList(1, c.images().size())) {
                compareGeometry(NiftiIO.read(imageFile), imageFile, reference, c.images().get(0), prefix, true, r);
            }
        } catch (IOException | RuntimeException e) {
            r.errors.add(prefix + "cannot read image: " + e.getMessage());
        }
        return r;
    }

    private static void checkLabelValues(Volume label, Path file, Set<Float> expected, String prefix, CaseResult r) {
        TreeSet<Float> unexpected = new TreeSet<>();
        int nan = 0;
        for (float v : label.data()) {
            if (Float.isNaN(v)) {
                nan++;
            } else if (!expected.contains(v)) {
                unexpected.add(v);
            }
        }
        if (nan > 0) {
            r.errors.add(prefix + "there are " + nan + " NaN values in label " + file);
        }
        if (!unexpected.isEmpty()) {
            r.errors.add(prefix + "unexpected label values " + unexpected + " in " + file
                    + " (dataset.json declares " + new TreeSet<>(expected) + ")");
        }
    }

    /**
     * v1's verify_same_geometry. A size mismatch is always an error (the arrays cannot be aligned); origin, spacing
     * and direction mismatches are errors only where v1 asserts ({@code strict}, test modalities), warnings otherwise.
     */
    private static void compareGeometry(Volume a, Path fileA, Volume b, Path fileB, String prefix, boolean strict,
            CaseResult r) {
        String against = " of " + fileA + " does not match " + fileB + ": ";
        if (!Arrays.equals(a.shape(), b.shape())) {
            r.errors.add(prefix + "the size (z,y,x)" + against + Arrays.toString(a.shape()) + " vs "
                    + Arrays.toString(b.shape()));
        }
        ImageGeometry ga = a.geometry();
        ImageGeometry gb = b.geometry();
        List<String> mismatches = new ArrayList<>();
        if (!isClose(ga.itkOrigin(), gb.itkOrigin())) {
            mismatches.add(prefix + "the origin" + against + Arrays.toString(ga.itkOrigin()) + " vs "
                    + Arrays.toString(gb.itkOrigin()));
        }
        if (!isClose(ga.itkSpacing(), gb.itkSpacing())) {
            mismatches.add(prefix + "the spacing" + against + Arrays.toString(ga.itkSpacing()) + " vs "
                    + Arrays.toString(gb.itkSpacing()));
        }
        if (!isClose(ga.itkDirection(), gb.itkDirection())) {
            mismatches.add(prefix + "the direction" + against + Arrays.toString(ga.itkDirection()) + " vs "
                    + Arrays.toString(gb.itkDirection()));
        }
        (strict ? r.errors : r.warnings).addAll(mismatches);
    }

    /** numpy.isclose(a, b) with its defaults: |a - b| <= 1e-8 + 1e-5 * |b|. */
    static boolean isClose(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= 1e-8 + 1e-5 * Math.abs(b[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * nibabel's aff2axcodes for an (almost) orthogonal direction: for each voxel axis, the RAS world axis it runs
     * along most. ITK's direction is LPS, so x and y flip sign.
     */
    static String axisCodes(ImageGeometry g) {
        double[] d = g.itkDirection();
        String[][] codes = {{"L", "R"}, {"P", "A"}, {"I", "S"}};
        StringBuilder sb = new StringBuilder();
        for (int col = 0; col < 3; col++) {
            int best = 0;
            for (int row = 1; row < 3; row++) {
                if (Math.abs(d[3 * row + col]) > Math.abs(d[3 * best + col])) {
                    best = row;
                }
            }
            double ras = (best < 2 ? -1 : 1) * d[3 * best + col];
            sb.append(codes[best][ras > 0 ? 1 : 0]);
        }
        return sb.toString();
    }

    private static int countNaN(float[] data) {
        int n = 0;
        for (float v : data) {
            if (Float.isNaN(v)) {
                n++;
            }
        }
        return n;
    }

    private static List<String> duplicates(List<String> ids) {
        Set<String> seen = new HashSet<>();
        Set<String> dup = new LinkedHashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                dup.add(id);
            }
        }
        return List.copyOf(dup);
    }

    /** .nii.gz files in a folder that dataset.json does not reference: an error in v1. */
    private static void stragglers(Path dir, Set<Path> listed, String name, List<String> errors) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> extra = s.filter(p -> p.getFileName().toString().endsWith(".nii.gz"))
                    .filter(p -> !listed.contains(p)).map(p -> p.getFileName().toString()).sorted().toList();
            if (!extra.isEmpty()) {
                errors.add("there are files in " + name + " that are not listed in dataset.json: " + extra);
            }
        } catch (IOException e) {
            errors.add("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private List<CaseResult> runAll(List<Callable<CaseResult>> jobs) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CaseResult> results = new ArrayList<>();
            for (Future<CaseResult> f : pool.invokeAll(jobs)) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    CaseResult failed = new CaseResult();
                    failed.errors.add("integrity check failed: " + e.getCause());
                    results.add(failed);
                }
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("integrity check interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
