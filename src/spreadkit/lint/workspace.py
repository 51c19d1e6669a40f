"""What a run reads besides the files it checks: the configuration for each folder, and
the intervention each log, context and measurements file is read against.

A workspace is built once per run (a lint, a command) and passed down; it reads each
folder once, and it is gone when the run ends, so that a second run in the same process
sees the files as they are now.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from spreadkit.lint.config import Config, ConfigError, config_from_file, find_config
from spreadkit.load import YAML_SUFFIXES, Loaded, Source, load, read_if, read_source
from spreadkit.yamlio import Limits

if TYPE_CHECKING:
    from spreadkit.versions.git import Committed


def _up_to_root(folder: Path, named: tuple[Path, ...]) -> tuple[Path, ...]:
    chain = [folder, *folder.parents]
    for index, above in enumerate(chain):
        if (above / ".git").exists():
            return tuple(chain[:index + 1])
    # Outside a repository no folder marks where the project ends: the walk goes up to
    # the highest of the current folder and the folders the user named that the file is
    # under, and never past the folder above its own, so that a stray description in
    # /tmp or a home folder is not taken for the one the file means, and the answer for
    # a folder named does not depend on where the command runs from.
    bounds = [chain.index(bound) for bound in (Path.cwd().resolve(), *named) if bound in chain]
    return tuple(chain[:max([1, *bounds]) + 1])


def named_folders(paths: Iterable[Path]) -> tuple[Path, ...]:
    """The folders the paths named on a command line stand for (a folder, or a file's
    folder), absolute: outside a repository, a file under one is read against an
    intervention as far up as it (`Workspace.search_folders`)."""
    return tuple(dict.fromkeys((p if p.is_dir() else p.parent).resolve() for p in paths))


@dataclass(slots=True)
class Beside:
    """An intervention description a file is read against, loaded as far as it could be."""

    path: Path
    source: Source
    _loaded: Loaded | None = None
    _limits: Limits = field(default_factory=Limits)

    @property
    def loaded(self) -> Loaded:
        if self._loaded is None:
            self._loaded = load(self.source, "intervention", self._limits)
        return self._loaded

    @property
    def ident(self) -> str | None:
        """Its id, when that part is valid."""
        from spreadkit.formats.intervention import Intervention

        model = self.loaded.model
        if isinstance(model, Intervention) and "id" not in self.loaded.invalid:
            return model.id
        return None


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """A file a command reads against the intervention it was given (its SPEC, --spec)
    while the intervention nearest the file has another id: each by id and by path."""

    ident: str
    path: str  # named as the file is named (`examples/escape-pain/intervention.yaml`)
    given_ident: str
    given_path: str


def named_as(intervention: Path, path: Path) -> str:
    """`intervention` (in a folder at or above `path`) named as `path` is named."""
    home = intervention.parent.resolve()
    for folder in path.parents:
        if folder.resolve() == home:
            return (folder / intervention.name).as_posix()
    return from_here(intervention)


def from_here(path: Path) -> str:
    """`path` relative to the current folder when it is under it, as findings name files
    (an absolute path found by a search, said as a user would type it)."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(slots=True)
class Previous:
    """A description's committed version at the configured `previous` ref, loaded on
    first use (once for every rule that reads it)."""

    committed: Committed
    _loaded: Loaded | None = None
    _limits: Limits = field(default_factory=Limits)

    @property
    def loaded(self) -> Loaded | None:
        """The committed file loaded as a description; None when there is none to load."""
        if self.committed.raw is None:
            return None
        if self._loaded is None:
            raw = self.committed.raw
            source = Source(Path(self.committed.name), self.committed.name, raw, len(raw))
            self._loaded = load(source, "intervention", self._limits)
        return self._loaded


@dataclass(slots=True)
class Workspace:
    """Files read once per run. `intervention`, when given, is the intervention every
    file is read against, instead of the one beside it (compare's --spec)."""

    limits: Limits = field(default_factory=Limits)
    use_config: bool = True
    config_file: Path | None = None  # --config: this file for every folder
    intervention: Path | None = None
    # The bytes of `intervention` when they are not the file on disk (a committed version).
    intervention_source: Source | None = None
    # The folders named on the command line (`named_folders`): where the search for an
    # intervention may end outside a repository.
    named: tuple[Path, ...] = ()
    _configs: dict[Path, Config] = field(default_factory=dict)
    _named_config: Config | None = None
    _folders: dict[Path, tuple[Beside, ...]] = field(default_factory=dict)
    _given: tuple[Beside, ...] | None = None
    _known: dict[Path, Beside] = field(default_factory=dict)
    _previous: dict[Path, Previous | None] = field(default_factory=dict)
    _ancestors: dict[Path, tuple[Path, ...]] = field(default_factory=dict)

    def remember(self, path: Path, source: Source, loaded: Loaded) -> None:
        """An intervention this run has already loaded (a command's SPEC): the files read
        against it use it as it is, so a large description is parsed once, not twice."""
        self._known[path.resolve()] = Beside(path, source, loaded, self.limits)

    def config_for(self, path: Path) -> Config:
        """The configuration in force for the file at `path`."""
        if not self.use_config:
            return Config()
        if self.config_file is not None:
            if self._named_config is None:
                self._named_config = config_from_file(self.config_file)
            return self._named_config
        folder = path.parent.resolve()
        found = self._configs.get(folder)
        if found is None:
            found = self._configs[folder] = find_config(folder)
        return found

    def interventions_in(self, folder: Path) -> tuple[Beside, ...]:
        """The intervention descriptions in `folder` (absolute), recognised from their
        first bytes. One over the size limit is passed over: lint reports it where it
        stands, and nothing can be read against it."""
        found = self._folders.get(folder)
        if found is None:
            found = self._folders[folder] = tuple(self._read_folder(folder))
        return found

    def _read_folder(self, folder: Path) -> list[Beside]:
        try:
            names = sorted(p for p in folder.iterdir() if p.name.endswith(YAML_SUFFIXES) and p.is_file())
        except OSError:
            return []
        found = []
        for path in names:
            known = self._known.get(path.resolve())
            if known is not None:
                found.append(known)
                continue
            source = read_if(path, "intervention", self.limits)
            if source is not None:
                found.append(Beside(path, source, _limits=self.limits))
        return found

    def _given_intervention(self) -> tuple[Beside, ...]:
        if self._given is None:
            assert self.intervention is not None
            known = self._known.get(self.intervention.resolve()) if self.intervention_source is None else None
            if known is not None:
                self._given = (known,)
                return self._given
            source = self.intervention_source or read_source(self.intervention, self.limits)
            if not isinstance(source, Source):
                raise ConfigError(f"{self.intervention}: {source.message}")
            self._given = (Beside(self.intervention, source, _limits=self.limits),)
        return self._given

    def search_folders(self, path: Path) -> tuple[Path, ...]:
        """Where the intervention for a file may be, nearest first: its own folder, then
        each folder above it (so that `sites/north/` or `logs/2026/` work at any depth),
        up to the root of the git repository it is in (the folder holding `.git`);
        outside a repository, up to the highest of the current folder and the folders
        named (`named`) that the file is under, and at least to the folder above its own."""
        folder = path.parent.resolve()
        found = self._ancestors.get(folder)
        if found is None:
            found = self._ancestors[folder] = _up_to_root(folder, self.named)
        return found

    def fingerprint(self, path: Path) -> str:
        """A digest of every intervention the file at `path` may be read against, for the
        lint cache: a changed intervention changes what its logs and contexts mean."""
        digest = hashlib.blake2b(digest_size=16)
        besides = self._given_intervention() if self.intervention is not None else \
            [b for folder in self.search_folders(path) for b in (*self.interventions_in(folder), None)]
        for beside in besides:
            if beside is None:
                digest.update(b"\1")  # folder boundary
            else:
                digest.update(beside.path.name.encode() + b"\0" + beside.source.raw)
        return digest.hexdigest()

    def beside(self, path: Path, intervention_id: str | None = None) -> Beside | None:
        """The intervention the file at `path` is read against: the one in the nearest
        folder at or above it that holds any (`search_folders`); of those, the one with
        `intervention_id` when given (a log's, else the search goes on up), else the only
        one there. None when there is no such single one (`ambiguous` says when there
        are several). Lint, and every command that reads a programme, use this one rule.

        An intervention whose id cannot be read (it does not parse, or its id is
        invalid) may be the one: when no other matches, it is returned, and rules that
        need it see it cannot be read.
        """
        return self._search(path, intervention_id)[0]

    def ambiguous(self, path: Path, intervention_id: str | None = None) -> tuple[Path, ...]:
        """The interventions the file at `path` could be read against when nothing says
        which (several in its folder, or several with `intervention_id`); empty when it is
        read against one or none."""
        return tuple(b.path for b in self._search(path, intervention_id)[1])

    def _search(self, path: Path, intervention_id: str | None) -> tuple[Beside | None, tuple[Beside, ...]]:
        """`beside` and, when it is None because several could be the one, those."""
        if self.intervention is not None:
            given = self._given_intervention()[0]
            # A log of another intervention is not read against the one given.
            if intervention_id is not None and given.ident is not None and given.ident != intervention_id:
                return None, ()
            return given, ()
        return self._nearest(path, intervention_id)

    def nearest(self, path: Path) -> Beside | None:
        """The intervention in the nearest folder at or above `path` that holds one (the
        only one there), whatever intervention this workspace was given to read files
        against (`--spec`): which programme a file belongs to."""
        return self._nearest(path, None)[0]

    def elsewhere(self, path: Path) -> Elsewhere | None:
        """When this workspace reads files against a given intervention: the intervention
        nearest the file at `path` (`nearest`) when its id is not the given one's. A draft
        of the same intervention (same id) stands in for it; another id is almost surely
        the wrong SPEC or a file in the wrong folder. None when no intervention is given,
        none is nearest, or either id cannot be read."""
        if self.intervention is None:
            return None
        given = self._given_intervention()[0]
        home = self.nearest(path)
        if home is None or home.ident is None or given.ident is None or home.ident == given.ident:
            return None
        given_path = self.intervention_source.name if self.intervention_source is not None else \
            from_here(self.intervention)
        return Elsewhere(home.ident, named_as(home.path, path), given.ident, given_path)

    def _nearest(self, path: Path, intervention_id: str | None) -> tuple[Beside | None, tuple[Beside, ...]]:
        here = path.resolve()
        for folder in self.search_folders(path):
            candidates = [b for b in self.interventions_in(folder) if b.path.resolve() != here]
            if not candidates:
                continue
            if intervention_id is not None:
                candidates = [b for b in candidates if b.ident == intervention_id] or \
                    [b for b in candidates if b.ident is None][:1]
                if not candidates:
                    continue
            return (candidates[0], ()) if len(candidates) == 1 else (None, tuple(candidates))
        return None, ()

    def previous(self, path: Path) -> Previous | None:
        """The committed version of the file at `path` at the ref its configuration names
        (`previous`), read once per run; None when no ref is configured."""
        key = path.resolve()
        if key not in self._previous:
            ref = self.config_for(path).previous
            self._previous[key] = None
            if ref:
                from spreadkit.versions.git import committed  # git runs only where `previous` is set

                self._previous[key] = Previous(committed(path, ref, self.limits.max_bytes), _limits=self.limits)
        return self._previous[key]

    def previous_fingerprint(self, path: Path) -> bytes:
        """What the lint cache must know of the committed version a description is checked
        against: nothing when none is configured."""
        found = self.previous(path)
        return b"" if found is None else found.committed.fingerprint()
