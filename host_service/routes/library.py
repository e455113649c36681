"""Catalogue of the definition library: trees, testcases, campaigns, and files that failed."""

import asyncio

from fastapi import APIRouter

from host_service.deps import HostStateDep
from host_service.kinds.definitions import DEFINITION_RULES
from host_service.library import load_library
from host_service.lifespan import library_limits
from host_service.routes.responses import errors
from schemas.campaign import CampaignDefinition
from schemas.library import DefinitionSummary, LibraryProblem, LibrarySummary
from schemas.navigation import NavigationTree
from schemas.testcase import TestcaseDefinition

router = APIRouter(prefix="/library", tags=["library"])


@router.get("/trees", response_model=list[DefinitionSummary], operation_id="list_trees")
async def list_trees(state: HostStateDep) -> list[DefinitionSummary]:
    """Navigation trees of the library, by id."""
    return state.library.trees.summaries()


@router.get(
    "/trees/{tree_id}",
    response_model=NavigationTree,
    responses=errors(404, 422),
    operation_id="get_tree",
)
async def get_tree(tree_id: str, state: HostStateDep) -> NavigationTree:
    """One navigation tree: its nodes with their checks, and its edges."""
    return state.library.trees.get(tree_id)


@router.get("/testcases", response_model=list[DefinitionSummary], operation_id="list_testcases")
async def list_testcases(state: HostStateDep) -> list[DefinitionSummary]:
    """Testcases of the library, by id."""
    return state.library.testcases.summaries()


@router.get(
    "/testcases/{testcase_id}",
    response_model=TestcaseDefinition,
    responses=errors(404, 422),
    operation_id="get_testcase",
)
async def get_testcase(testcase_id: str, state: HostStateDep) -> TestcaseDefinition:
    """One testcase: its inputs, variables and graph."""
    return state.library.testcases.get(testcase_id)


@router.get("/campaigns", response_model=list[DefinitionSummary], operation_id="list_campaigns")
async def list_campaigns(state: HostStateDep) -> list[DefinitionSummary]:
    """Campaigns of the library, by id."""
    return state.library.campaigns.summaries()


@router.get(
    "/campaigns/{campaign_id}",
    response_model=CampaignDefinition,
    responses=errors(404, 422),
    operation_id="get_campaign",
)
async def get_campaign(campaign_id: str, state: HostStateDep) -> CampaignDefinition:
    """One campaign: its ordered items and their inputs."""
    return state.library.campaigns.get(campaign_id)


@router.post("/reload", response_model=LibrarySummary, operation_id="reload_library")
async def reload_library(state: HostStateDep) -> LibrarySummary:
    """Read the library folder again; running executions keep the definitions they started with."""
    limits = library_limits(state.settings)
    fresh = await asyncio.to_thread(load_library, state.library.root, DEFINITION_RULES, limits)
    state.library.replace_with(fresh)
    return state.library.summary()


@router.get("/problems", response_model=list[LibraryProblem], operation_id="list_library_problems")
async def list_problems(state: HostStateDep) -> list[LibraryProblem]:
    """Library files that could not be loaded, each with the reason."""
    return state.library.problems
