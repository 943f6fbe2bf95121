package org.nnunet.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A converted task folder {@code nnUNet_raw_data/TaskXXX_NAME} with its dataset.json, listing each case's files the
 * way nnU-Net v1's create_lists_from_splitted_dataset does (modality files {@code _0000...}, then the label).
 */
public record RawDataset(Path folder, DatasetJson datasetJson) {

    /** One case: its id, one image per modality in modality order, and its label (null for test cases). */
    public record CaseFiles(String id, List<Path> images, Path label) {
        public CaseFiles {
            images = List.copyOf(images);
        }
    }

    public static RawDataset open(Path taskFolder) throws IOException {
        return new RawDataset(taskFolder, DatasetJson.read(taskFolder.resolve("dataset.json")));
    }

    public Path imagesTr() {
        return folder.resolve("imagesTr");
    }

    public Path labelsTr() {
        return folder.resolve("labelsTr");
    }

    public Path imagesTs() {
        return folder.resolve("imagesTs");
    }

    public List<CaseFiles> trainingCases() {
        List<CaseFiles> cases = new ArrayList<>();
        for (String id : datasetJson.trainingIdentifiers()) {
            cases.add(new CaseFiles(id, modalityFiles(imagesTr(), id), labelsTr().resolve(DatasetJson.labelFileName(id))));
        }
        return cases;
    }

    public List<CaseFiles> testCases() {
        List<CaseFiles> cases = new ArrayList<>();
        for (String id : datasetJson.testIdentifiers()) {
            cases.add(new CaseFiles(id, modalityFiles(imagesTs(), id), null));
        }
        return cases;
    }

    private List<Path> modalityFiles(Path dir, String id) {
        List<Path> files = new ArrayList<>();
        for (int m = 0; m < datasetJson.numModalities(); m++) {
            files.add(dir.resolve(DatasetJson.modalityFileName(id, m)));
        }
        return files;
    }
}
