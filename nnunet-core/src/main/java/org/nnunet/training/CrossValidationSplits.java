package org.nnunet.training;

import org.nnunet.util.NumpyRandomState;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * nnU-Net v1's 5-fold cross-validation split (nnUNetTrainer.do_split): sklearn
 * {@code KFold(n_splits=5, shuffle=True, random_state=12345).split(np.sort(case_ids))}. The indices 0..n-1 are
 * shuffled with {@code RandomState(12345)}; fold k's validation cases are the k-th consecutive chunk of the shuffled
 * order (the first {@code n % 5} chunks one longer); both lists are reported in sorted order, as KFold's masks give
 * them. Stored as {@code splits_final.json} ({@code [{"train": [...], "val": [...]}, ...]}); an existing file is
 * used as it is, like v1's {@code splits_final.pkl}.
 */
public final class CrossValidationSplits {

    public static final int FOLDS = 5;
    public static final long SEED = 12345;
    public static final String FILE_NAME = "splits_final.json";

    /** One fold: training and validation case ids. */
    public record Fold(List<String> train, List<String> val) {
        public Fold {
            train = List.copyOf(train);
            val = List.copyOf(val);
        }
    }

    private CrossValidationSplits() {
    }

    /** The five folds of v1 for these case ids (order of the input does not matter; ids are sorted first). */
    public static List<Fold> create(Collection<String> caseIds) {
        String[] keys = caseIds.toArray(new String[0]);
        Arrays.sort(keys); // np.sort on str: code-point order, as String.compareTo for the ids we meet
        int n = keys.length;
        if (n < FOLDS) {
            throw new IllegalArgumentException("5-fold cross-validation needs at least 5 cases, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        new NumpyRandomState(SEED).shuffle(order);
        List<Fold> folds = new ArrayList<>();
        int start = 0;
        for (int k = 0; k < FOLDS; k++) {
            int size = n / FOLDS + (k < n % FOLDS ? 1 : 0);
            boolean[] isVal = new boolean[n];
            for (int i = start; i < start + size; i++) {
                isVal[order[i]] = true;
            }
            List<String> train = new ArrayList<>();
            List<String> val = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (isVal[i] ? val : train).add(keys[i]);
            }
            folds.add(new Fold(train, val));
            start += size;
        }
        return folds;
    }

    /**
     * The splits in {@code directory/splits_final.json}: read if the file exists (whatever it holds, any number of
     * folds), else created for {@code caseIds} and written.
     */
    public static List<Fold> loadOrCreate(Path directory, Collection<String> caseIds) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return read(file);
        }
        List<Fold> folds = create(caseIds);
        Files.createDirectories(directory);
        write(folds, file);
        return folds;
    }

    public static List<Fold> read(Path file) throws IOException {
        try {
            return new ObjectMapper().readValue(file.toFile(), new TypeReference<List<Fold>>() { });
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not a splits file (" + e.getOriginalMessage() + ")", e);
        }
    }

    public static void write(List<Fold> folds, Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), folds);
    }
}
