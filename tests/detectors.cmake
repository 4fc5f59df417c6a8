# The detector library (stdlib/detectors.omen and the detector kernels) through the engine,
# in every tier, against C++ references: tests/unit/detectors/. Its data tests are
# tests/data/detectors_*.omen (tests/data.cmake).
omen_unit_test(detectors LIBS omen SOURCES detectors_test.cpp)
