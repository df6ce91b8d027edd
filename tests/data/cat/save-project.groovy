// OmegaT console script for tests/integration/cat_tools.rs.
//
// OmegaT 3.6 in --mode=console-translate applies tm/auto and writes the target files and the
// <project>-omegat.tmx / -level1.tmx / -level2.tmx exports, but never saves omegat/project_save.tmx
// (RealProject.saveProject is only called from the GUI). On the COMPILE event this script makes
// OmegaT write project_save.tmx with its own writer, ProjectTMX.save, the same call saveProject
// makes, so that the test can import the project memory exactly as OmegaT stores it.
// `eventType` is bound by OmegaT's console mode (LOAD, COMPILE, CLOSE).
import org.omegat.core.Core

if (eventType.toString() == "COMPILE") {
    def project = Core.getProject()
    def field = project.getClass().getDeclaredField("projectTMX")
    field.setAccessible(true)
    def props = project.getProjectProperties()
    field.get(project).save(props, props.getProjectInternal() + "project_save.tmx", true)
    println("mizan-test: project_save.tmx written")
}
