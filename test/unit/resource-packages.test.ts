import { describe, expect, it } from 'vitest';
import { PRESETS, type Blueprint } from '../../src/blueprint/presets.js';
import { resourceLayoutIn } from '../../src/blueprint/resource-packages.js';

const withRouter = (preset: Blueprint, router: string, sourceRoot = preset.sourceRoot): Blueprint => ({ ...preset, sourceRoot, paths: { ...preset.paths, router } });

describe("a resource's layout in the backend's own package", () => {
  it("is the preset's where the features are in the preset's package", () => {
    const modules = PRESETS.modules!;
    expect(resourceLayoutIn(modules, modules)).toBe(modules.resource);
    expect(resourceLayoutIn(withRouter(modules, 'app/routers/{feature}.py'), modules)).toBe(modules.resource);
  });

  it("moves model, repository, dependencies and the database layer under the features' package, and keeps the migrations", () => {
    const layered = PRESETS.layered!;
    expect(resourceLayoutIn(withRouter(layered, 'src/myapi/routers/{feature}.py'), layered)).toEqual({
      ...layered.resource,
      model: 'src/myapi/tables/{feature}.py',
      repository: 'src/myapi/repositories/{feature}.py',
      dependencies: 'src/myapi/dependencies/{feature}.py',
      db: 'src/myapi/db',
      migrations: 'migrations',
    });
    const modules = PRESETS.modules!;
    // A flat layout (source root "."), in a package named service.
    expect(resourceLayoutIn(withRouter(modules, 'service/http/endpoints/{feature}.py', '.'), modules)).toMatchObject({ model: 'service/api/v1/modules/{feature}/models.py', db: 'service/db', migrations: 'migrations' });
    // The code imports src.app...: the folder named as the preset's package is its counterpart.
    expect(resourceLayoutIn(withRouter(modules, 'src/app/api/{feature}/router.py', '.'), modules)).toMatchObject({ model: 'src/app/api/v1/modules/{feature}/models.py', db: 'src/app/db' });
  });
});
