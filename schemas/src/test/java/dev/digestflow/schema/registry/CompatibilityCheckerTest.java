package dev.digestflow.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityCheckerTest {

    private static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
    }

    private static final Schema A = record("{\"name\":\"a\",\"type\":\"string\"}");
    private static final Schema AB_DEFAULT = record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}");
    private static final Schema AB = record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}");

    @Test
    void backwardRefusesANewRequiredField() {
        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD, AB, List.of(A)))
                .singleElement().asString().contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("b");
        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD, AB_DEFAULT, List.of(A))).isEmpty();
    }

    @Test
    void forwardRefusesDroppingAFieldOldReadersNeed() {
        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.FORWARD, A, List.of(AB))).isNotEmpty();
        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD, A, List.of(AB))).isEmpty();
    }

    @Test
    void transitiveLevelsCheckEveryVersion() {
        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD, AB, List.of(A, AB_DEFAULT))).isEmpty();
        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD_TRANSITIVE, AB, List.of(A, AB_DEFAULT))).isNotEmpty();
    }

    @Test
    void noneAcceptsAnything() {
        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.NONE, record("{\"name\":\"z\",\"type\":\"int\"}"), List.of(A))).isEmpty();
    }

    @Test
    void levelNamesParseCaseInsensitivelyAndBadOnesListTheValidOnes() {
        assertThat(CompatibilityLevel.parse("full_transitive")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        assertThatThrownBy(() -> CompatibilityLevel.parse("SIDEWAYS")).hasMessageContaining("BACKWARD_TRANSITIVE");
    }
}
