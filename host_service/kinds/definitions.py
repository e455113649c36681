"""The checks the kinds make of library definitions on load (`DefinitionRules`)."""

from host_service.kinds.campaign.chaining import chaining_problems
from host_service.kinds.navigation.planner import Planner
from host_service.kinds.testcase.graph import testcase_problems
from host_service.kinds.testcase.variables import Problem
from host_service.library import DefinitionLibrary, DefinitionRules
from schemas.campaign import CampaignDefinition
from schemas.navigation import NavigationTree
from schemas.testcase import TestcaseDefinition


def _testcase(testcase: TestcaseDefinition, library: DefinitionLibrary) -> list[Problem]:
    return testcase_problems(testcase, library, [])


def _campaign(campaign: CampaignDefinition, library: DefinitionLibrary) -> list[Problem]:
    problems = chaining_problems(campaign, [])
    for index, item in enumerate(campaign.items):
        if item.testcase is not None:
            problems += testcase_problems(item.testcase, library, ["items", index])
    return problems


def _tree(tree: NavigationTree, library: DefinitionLibrary) -> None:
    library.trees.derived(tree.id, Planner, Planner)


DEFINITION_RULES = DefinitionRules(_testcase, _campaign, _tree)
