"""Keras reference for `npm run bench:train` (comparison only; never a runtime dependency of Lepton).

Trains the same small CNN as Lepton's `cnn-small` on the same data and split the benchmark exported, and prints one
JSON line. Run by train.bench.ts when LEPTON_BENCH_KERAS_PYTHON names a Python with TensorFlow installed:
    python -m venv /tmp/keras && /tmp/keras/bin/pip install tensorflow-cpu==2.21.0
    LEPTON_BENCH_KERAS_PYTHON=/tmp/keras/bin/python npm run bench:train
Usage: keras_cnn.py <folder with x_train.f32 y_train.i32 x_test.f32 y_test.i32 meta.json>
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402


def main(folder: str) -> None:
    meta = json.load(open(os.path.join(folder, "meta.json")))
    shape, classes = meta["featureShape"], meta["classes"]
    load = lambda name, dtype: np.fromfile(os.path.join(folder, name), dtype=dtype)  # noqa: E731
    x_train = load("x_train.f32", np.float32).reshape([-1, *shape])
    x_test = load("x_test.f32", np.float32).reshape([-1, *shape])
    y_train = keras.utils.to_categorical(load("y_train.i32", np.int32), classes)
    y_test = keras.utils.to_categorical(load("y_test.i32", np.int32), classes)
    keras.utils.set_random_seed(meta["seed"])
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(classes, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(meta["learningRate"]), loss="categorical_crossentropy", metrics=["accuracy"])
    batch, epochs = meta["batchSize"], meta["epochs"]
    # One warm-up batch, as the TypeScript side gets (graph tracing and first allocations).
    model.train_on_batch(x_train[:batch], y_train[:batch])
    seconds, cpu_seconds = [], 0.0
    for _ in range(epochs):
        started, cpu = time.perf_counter(), time.process_time()
        model.fit(x_train, y_train, batch_size=batch, epochs=1, shuffle=True, verbose=0)
        seconds.append(time.perf_counter() - started)
        cpu_seconds += time.process_time() - cpu
    samples = len(x_train) * epochs
    _, accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0) if len(x_test) else (None, None)
    print(
        json.dumps(
            {
                "tensorflow": tf.__version__,
                "keras": keras.__version__,
                "samplesPerSecond": samples / sum(seconds),
                "samplesPerCpuSecond": samples / cpu_seconds,
                "secondsPerEpoch": seconds,
                "testAccuracy": accuracy,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
