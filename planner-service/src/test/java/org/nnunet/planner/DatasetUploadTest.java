package org.nnunet.planner;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.Topics;
import org.nnunet.service.StoreFolders;
import org.nnunet.service.testing.KafkaTopics;
import org.nnunet.service.testing.TestTasks;
import org.nnunet.service.testing.TinyTask;
import org.nnunet.storage.ObjectStore;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /v1/datasets/{task}}: zip upload -> raw objects -> dataset version; bad names and sizes refused. */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class DatasetUploadTest {

    @Inject
    ObjectStore store;

    private static byte[] zip(Path dir, String folder) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(folder + dir.relativize(f).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("__MACOSX/._dataset.json"));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] zipOf(String entry, byte[] content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** A request with the test profile's API token (org.nnunet.service.security guards every /v1 route). */
    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer test-token-0123456789");
    }

    @Test
    void zippedNnUNetTaskIsStoredAndBecomesADatasetVersion() throws Exception {
        String task = TestTasks.unique("Upload");
        Path dir = Files.createTempDirectory("upload");
        TinyTask.write(dir, 5, 3);
        byte[] body = zip(dir, task + "/");
        StoreFolders.deleteQuietly(dir);

        api().contentType("application/zip").body(body).when().post("/v1/datasets/" + task).then()
                .statusCode(202).body("objects", is(11)).body("rawPrefix", is("raw/" + task + "/"));
        assertEquals(11, store.list("raw/" + task + "/").size(), "dataset.json + 5 images + 5 labels");
        List<ConsumerRecord<String, String>> versions = KafkaTopics.await(Topics.DATASET_VERSION_CREATED,
                r -> task.equals(r.key()), 1, Duration.ofSeconds(30));
        assertEquals(1, versions.size());
        assertTrue(versions.get(0).value().contains("\"trainingCases\":5"), versions.get(0).value());
    }

    @Test
    void zippedDecathlonTaskIsConvertedToTheNnUNetLayout() throws Exception {
        String task = TestTasks.unique("Dec");
        Path dir = Files.createTempDirectory("decathlon");
        TinyTask.write(dir, 5, 4);
        // the Decathlon layout: images without the _0000 modality suffix
        try (Stream<Path> images = Files.list(dir.resolve("imagesTr"))) {
            for (Path image : images.toList()) {
                Files.move(image, image.resolveSibling(image.getFileName().toString().replace("_0000", "")));
            }
        }
        byte[] body = zip(dir, "");
        StoreFolders.deleteQuietly(dir);

        api().contentType("application/zip").body(body).when().post("/v1/datasets/" + task).then()
                .statusCode(202).body("objects", is(11));
        assertTrue(store.exists("raw/" + task + "/imagesTr/tiny_000_0000.nii.gz"), "converted to modality files");
        assertTrue(store.exists("raw/" + task + "/labelsTr/tiny_004.nii.gz"));
    }

    @Test
    void pathTraversalBadTaskNamesAndOversizedUploadsAreRefused() throws Exception {
        String task = TestTasks.unique("Evil");
        api().contentType("application/zip").body(zipOf("../../etc/passwd", new byte[] {1}))
                .when().post("/v1/datasets/" + task).then().statusCode(400).body("error", containsString("'..'"));
        api().contentType("application/zip").body(zipOf("/abs/dataset.json", new byte[] {1}))
                .when().post("/v1/datasets/" + task).then().statusCode(400).body("error", containsString("absolute"));
        api().contentType("application/zip").body(zipOf("dataset.json", new byte[] {1}))
                .when().post("/v1/datasets/NotATask").then().statusCode(400)
                .body("error", containsString("invalid task name"));
        byte[] noise = new byte[3_500_000];
        new Random(1).nextBytes(noise);
        api().contentType("application/zip").body(zipOf("imagesTr/x_0000.nii.gz", noise))
                .when().post("/v1/datasets/" + task).then().statusCode(413);
        assertEquals(0, store.list("raw/" + task + "/").size(), "nothing stored from refused uploads");
    }
}
