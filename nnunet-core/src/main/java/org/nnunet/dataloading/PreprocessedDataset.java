package org.nnunet.dataloading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.util.MappedNpy;
import org.nnunet.util.NpyReader;

/**
 * The cases of one preprocessed stage folder that a data loader samples from (nnU-Net: {@code load_dataset} +
 * memmap mode 'r'): each case's (c + 1, z, y, x) array memory-mapped, and its foreground class locations.
 */
public final class PreprocessedDataset {

    /** One case: memory-mapped data with the segmentation as last channel, and class -> (z, y, x) locations. */
    public record Case(String id, MappedNpy array, Map<Integer, int[][]> classLocations) {
        public int dataChannels() {
            return array.shape()[0] - 1;
        }

        public int[] spatialShape() {
            int[] s = array.shape();
            return Arrays.copyOfRange(s, 1, s.length);
        }
    }

    private final Map<String, Case> cases;

    private PreprocessedDataset(Map<String, Case> cases) {
        this.cases = cases;
    }

    /** Opens the given cases (e.g. the training keys of a fold) of a stage folder. */
    public static PreprocessedDataset open(PreprocessedDataFolder folder, List<String> caseIds) throws IOException {
        Map<String, Case> cases = new LinkedHashMap<>();
        for (String id : caseIds) {
            Path data = folder.dataFile(id);
            if (!Files.isRegularFile(data)) {
                throw new IOException(data + ": preprocessed case missing (run nnUNet_plan_and_preprocess)");
            }
            MappedNpy array = NpyReader.map(data);
            if (array.shape().length != 4 || array.shape()[0] < 2) {
                throw new IOException(data + ": expected a (c + 1, z, y, x) array, got shape "
                        + Arrays.toString(array.shape()));
            }
            cases.put(id, new Case(id, array, folder.readClassLocations(id)));
        }
        if (cases.isEmpty()) {
            throw new IOException(folder.dir() + ": no cases to load");
        }
        return new PreprocessedDataset(cases);
    }

    public List<String> caseIds() {
        return new ArrayList<>(cases.keySet());
    }

    public Case get(String id) {
        Case c = cases.get(id);
        if (c == null) {
            throw new IllegalArgumentException("no case " + id + " in the dataset");
        }
        return c;
    }

    public int size() {
        return cases.size();
    }
}
