package io.osteo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Embedded Spark listens on the loopback interface only; cluster masters keep their own settings. */
class LoopbackTest {

    @Test
    void localMastersBindToLoopbackClusterMastersAreLeftAlone() {
        SparkConf local = new SparkConf().setMaster("local[2]");
        BatchScreening.bindLocalToLoopback(local);
        assertThat(local.get("spark.driver.bindAddress")).isEqualTo("127.0.0.1");
        assertThat(local.get("spark.driver.host")).isEqualTo("127.0.0.1");

        SparkConf cluster = new SparkConf().setMaster("spark://head:7077");
        BatchScreening.bindLocalToLoopback(cluster);
        assertThat(cluster.contains("spark.driver.bindAddress")).isFalse();

        SparkConf chosen = new SparkConf().setMaster("local[*]").set("spark.driver.host", "127.0.0.2");
        BatchScreening.bindLocalToLoopback(chosen);
        assertThat(chosen.get("spark.driver.host")).isEqualTo("127.0.0.2");
    }
}
