from tests.letters.support import letters_runtime  # noqa: F401 - fixture
