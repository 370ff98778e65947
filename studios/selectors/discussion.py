"""The studio's discussion: threads listed pinned first, one thread with its posts, for the studio's members."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404

from .. import permissions
from ..models import Post, Thread

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 50


def thread_page(*, acting_user, studio, page=1, resource=None):
    """A page of threads, pinned first then most recently active; hidden ones only for the leaders."""
    threads = Thread.objects.filter(studio=studio)
    if resource is not None:
        threads = threads.filter(resource=resource)
    if not permissions.can_lead_studio(acting_user, studio):
        threads = threads.filter(is_hidden=False)
    threads = (
        threads.select_related("author", "resource")
        .annotate(replies=Count("posts"))
        .order_by("-is_pinned", "-last_post_at", "-pk")
    )
    return Paginator(threads, THREADS_PER_PAGE).get_page(page)


def thread_get_for_member(*, acting_user, thread_id: int) -> Thread:
    thread = Thread.objects.select_related("studio", "resource", "author").filter(pk=thread_id).first()
    if thread is None or not permissions.can_view_studio(acting_user, thread.studio):
        raise Http404
    if thread.is_hidden and not permissions.can_lead_studio(acting_user, thread.studio):
        raise Http404
    return thread


def post_get_for_member(*, acting_user, post_id: int) -> Post:
    post = Post.objects.select_related("thread__studio").filter(pk=post_id).first()
    if post is None or not permissions.can_view_studio(acting_user, post.thread.studio):
        raise Http404
    return post


def post_page(*, thread: Thread, page=1):
    posts = thread.posts.select_related("author__profile__region").order_by("created_at", "pk")
    return Paginator(posts, POSTS_PER_PAGE).get_page(page)
